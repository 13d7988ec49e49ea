/* view.h - a parsed wslns-probe/1 document (placeholder until the core lands). */
#ifndef WSLNS_VIEW_H
#define WSLNS_VIEW_H
struct view;
void view_free(struct view *view);
#endif
