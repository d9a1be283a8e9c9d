"""The bundled offline sample of OCOP news sites and the loopback server that serves it."""
