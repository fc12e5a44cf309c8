"""Beyond one process: a provider's Batch API (:mod:`extraction.scale.batch_road`) and Ray Data
over self-hosted endpoints (:mod:`extraction.scale.ray_data`), each giving the records
``sitrep extract`` gives."""
