"""The site stage: markdown in content/ -> pages, feeds and the figure player (see AUTHORING.md)."""
