"""Layer 2, text: decoding, the Document, input sources, words and outline."""
