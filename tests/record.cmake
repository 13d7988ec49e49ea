# Recordings (docs/recording.md): the SHA-256 the probe is named by, recording and replaying
# a run against the emulator and the lab in both builds, and every recording under
# tests/recordings/ replayed to its stored report.
wslns_unit_test("record: sha256 gives the NIST example digests" test_record_sha256
  SOURCES unit/test_record_sha256.c
  LIBS wslns_common)
