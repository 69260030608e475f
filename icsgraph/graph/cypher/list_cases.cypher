// Every case with its captures and size.
MATCH (k:Case)
OPTIONAL MATCH (k)-[:HAS_CAPTURE]->(c:Capture)
WITH k, collect(c.file_name) AS captures, sum(c.packets) AS packets
OPTIONAL MATCH (h:Host {case: k.id})
RETURN k.id AS case, captures, packets, count(h) AS hosts
ORDER BY case
