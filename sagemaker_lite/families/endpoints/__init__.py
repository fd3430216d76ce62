"""Endpoint configurations and endpoints (:mod:`.service`), real-time inference
(:mod:`.runtime`)."""
