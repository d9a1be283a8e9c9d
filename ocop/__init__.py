"""The OCOP news monitor application: the `ocop` command that ties crawler, extract and storage together."""
