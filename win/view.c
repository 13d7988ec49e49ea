#include "view.h"
void view_free(struct view *view) { (void)view; }
