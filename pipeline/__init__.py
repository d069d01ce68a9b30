"""The build driver: runs content -> model -> render -> site, each stage cached by a content hash."""
