"""The model path: an OpenAI-compatible server through instructor, the messages it is sent, what
instructor validates, and transport retries."""
