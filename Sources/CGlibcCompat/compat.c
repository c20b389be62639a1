// provided.al2023 ships glibc 2.34. glibc 2.35 added new symbol versions of hypot and hypotf, which a binary built
// on a newer glibc (Debian 12 has 2.36) binds to, so Lambda would refuse to load it. The handler executables link
// with `--wrap=hypot --wrap=hypotf`: every call goes to the wrappers below, which call the original versions that
// every glibc since the architecture's first release exports. See docs/packaging.md.
#include "CGlibcCompat.h"

#include <stddef.h>
#if defined(__linux__)
#include <features.h>
#endif

#if defined(__linux__) && defined(__GLIBC__)

#if defined(__x86_64__)
#define ORDERSTACK_BASE_GLIBC "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define ORDERSTACK_BASE_GLIBC "GLIBC_2.17"
#else
#error "unsupported architecture for the glibc compatibility wrappers"
#endif

double orderstack_hypot_base(double, double);
float orderstack_hypotf_base(float, float);
__asm__(".symver orderstack_hypot_base, hypot@" ORDERSTACK_BASE_GLIBC);
__asm__(".symver orderstack_hypotf_base, hypotf@" ORDERSTACK_BASE_GLIBC);

double __wrap_hypot(double x, double y) { return orderstack_hypot_base(x, y); }
float __wrap_hypotf(float x, float y) { return orderstack_hypotf_base(x, y); }

int orderstack_glibc_compat_active(void) { return 1; }

#else

int orderstack_glibc_compat_active(void) { return 0; }

#endif
