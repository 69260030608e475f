// The best value of each identity field, with its source and confidence.
UNWIND $rows AS row
MATCH (h:Host {key: row.host})
SET h += row.props
