"""The investigation report: the steps of an alert investigation run as pack
queries and written as Markdown, offline HTML and JSON beside the device map."""
