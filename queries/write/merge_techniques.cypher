// The pinned ATT&CK for ICS technique list, shared by all cases.
UNWIND $rows AS row
MERGE (t:Technique {id: row.id})
SET t.name = row.name, t.tactics = row.tactics
