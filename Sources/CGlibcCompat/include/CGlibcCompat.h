#ifndef ORDERSTACK_CGLIBCCOMPAT_H
#define ORDERSTACK_CGLIBCCOMPAT_H

/// Returns 1 when the hypot wrappers are active (Linux with glibc), 0 elsewhere; lets a test call into the target.
int orderstack_glibc_compat_active(void);

#endif
