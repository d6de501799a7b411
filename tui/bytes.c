/*
 * bytes.c — human-readable sizes, rates and durations (bytes.h).
 */
#include "config.h"

#include "tui/bytes.h"

#include <stdio.h>

#include "tui/tui.h"

static const char *const units[] = { N_("B"), N_("KB"), N_("MB"), N_("GB") };

/* value in its unit, one decimal below 10 with a decimal comma. */
static const char *
scaled(double v, const char *suffix, char *buf, size_t cap)
{
	size_t u = 0;

	while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
		v /= 1024.0;
		u++;
	}
	if (u == 0 || v >= 10.0)
		snprintf(buf, cap, "%.0f %s%s", v, _(units[u]), suffix);
	else {
		int whole = (int)v, tenth = (int)((v - whole) * 10.0 + 0.5);

		if (tenth == 10) {
			whole++;
			tenth = 0;
		}
		snprintf(buf, cap, "%d,%d %s%s", whole, tenth, _(units[u]),
		    suffix);
	}
	return buf;
}

const char *
bytes_size(uint64_t n, char *buf, size_t cap)
{
	return scaled((double)n, "", buf, cap);
}

const char *
bytes_rate(double per_s, char *buf, size_t cap)
{
	char suffix[32];

	snprintf(suffix, sizeof suffix, "/%s", _("s"));
	return scaled(per_s > 0 ? per_s : 0, suffix, buf, cap);
}

const char *
bytes_eta(double s, char *buf, size_t cap)
{
	long t = (long)(s + 0.5);

	if (s < 0)
		snprintf(buf, cap, "—");
	else if (t < 60)
		snprintf(buf, cap, "%ld %s", t, _("s"));
	else if (t < 3600)
		snprintf(buf, cap, "%ld %s %ld %s", t / 60, _("min"), t % 60,
		    _("s"));
	else
		snprintf(buf, cap, "%ld %s %ld %s", t / 3600, _("h"),
		    t % 3600 / 60, _("min"));
	return buf;
}
