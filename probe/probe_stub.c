int probe_stub(void);
int probe_stub(void) { return 0; }
