// The run reached the end of the file: record what reading it cost.
MATCH (k:Case {id: $case})-[r:HAS_CAPTURE]->(c:Capture {sha256: $sha256})
SET c.file_name = $file_name,
    c.packets = $packets,
    c.bytes = $bytes,
    c.first_seen = $first_seen,
    c.last_seen = $last_seen,
    c.link_types = $link_types,
    c.truncated = $truncated,
    c.skipped_packets = $skipped_packets,
    c.skipped_bytes = $skipped_bytes,
    c.skipped_reasons = $skipped_reasons,
    c.complete = true,
    r.complete = true,
    r.finished = datetime()
