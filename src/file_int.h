/*
 * file_int.h - the small file-system steps that every durable write in libskl shares
 * (private to libskl): writing a whole buffer, and making a new directory entry durable.
 */
#ifndef SKL_FILE_INT_H
#define SKL_FILE_INT_H

#include <stddef.h>

/* Writes data[0..len) to fd, retrying short and interrupted writes. 0, or -1 with errno
 * set (EIO when write made no progress without saying why). */
int skl_write_all(int fd, const void *data, size_t len);

/* Fsyncs the directory holding path, so that a file just created or renamed there
 * survives a crash. Best effort: some file systems refuse to fsync a directory. */
void skl_sync_parent_dir(const char *path);

#endif
