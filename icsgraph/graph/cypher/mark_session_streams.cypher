// How whole a session's reassembled payload is: `gaps` counts byte ranges
// missing from the capture (lost or cut by the snap length), and
// `payload_truncated` says the per-direction cap on kept bytes was reached.
// A session seen in several segments keeps the largest of each, so a re-run
// changes nothing.
UNWIND $rows AS row
MATCH (s:Session {key: row.key})
SET s.gaps = CASE WHEN coalesce(s.gaps, -1) < row.gaps
      THEN row.gaps ELSE s.gaps END,
    s.payload_truncated = coalesce(s.payload_truncated, false) OR row.truncated
