/*
 * statefile.h — where the client keeps what it remembers between runs:
 * $XDG_STATE_HOME/hromada/NAME (default ~/.local/state/hromada/NAME),
 * directories made 0700 when asked.  The file picker's last directories
 * and the upload queues live there.
 */
#ifndef TUI_STATEFILE_H
#define TUI_STATEFILE_H

/*
 * The path of state file `name` (a "/" in it becomes "_"), malloc'd;
 * NULL when neither XDG_STATE_HOME nor HOME says where, or out of memory.
 * With `make_dirs` the directories on the way are created (0700).
 */
char *state_file_path(const char *name, int make_dirs);

#endif
