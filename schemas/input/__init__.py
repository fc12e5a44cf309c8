"""Reading input safely: bounded reads and encodings (:mod:`.reading`), what a folder holds
(:mod:`.folder`), metadata beside the text (:mod:`.metadata`), saved web pages
(:mod:`.html_page`) and article ids (:mod:`.ids`). :mod:`schemas.loaders` puts them together."""
