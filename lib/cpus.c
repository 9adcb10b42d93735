/* cpus.c - how many CPUs this process may use, as nproc(1) counts them.
 *
 * Not the CPUs the machine has: under `taskset -c 0`, `srun -c 1` or in a
 * container, a thread per online CPU oversubscribes what was granted.  The
 * count is the CPUs of the affinity mask, capped by a cgroup CPU quota
 * (cgroup v2's cpu.max, v1's cpu.cfs_quota_us / cpu.cfs_period_us) on the
 * process's cgroup or any cgroup above it.                               */
#include <config.h>

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"

/* The CPUs of the affinity mask, or 0 when it cannot be read. */
static unsigned long affinity_cpus(void)
{
	cpu_set_t fixed;   /* 1024 CPUs: no allocation, the usual case */
	if (sched_getaffinity(0, sizeof fixed, &fixed) == 0)
		return (unsigned long)CPU_COUNT(&fixed);
	for (int ncpus = 2048; ncpus <= 1 << 20; ncpus *= 2) {
		cpu_set_t *set = CPU_ALLOC(ncpus);
		if (!set)
			return 0;
		size_t size = CPU_ALLOC_SIZE(ncpus);
		if (sched_getaffinity(0, size, set) == 0) {
			unsigned long n = (unsigned long)CPU_COUNT_S(size, set);
			CPU_FREE(set);
			return n;
		}
		CPU_FREE(set);   /* EINVAL: the kernel's mask is larger; try again */
	}
	return 0;
}

/* Read up to two numbers from a cgroup file: "max 100000" gives a = -1. */
static int read_quota(const char *dir, const char *file, long long *a, long long *b)
{
	char path[4096], text[64] = "";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	bool ok = fgets(text, sizeof text, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	*a = strncmp(text, "max", 3) == 0 ? -1 : strtoll(text, NULL, 10);
	char *second = strchr(text, ' ');
	*b = second ? strtoll(second + 1, NULL, 10) : 0;
	return 0;
}

/* ceil(quota / period) CPUs, or 0 for no limit. */
static unsigned long quota_cpus(long long quota, long long period)
{
	if (quota <= 0 || period <= 0)
		return 0;
	unsigned long long n = ((unsigned long long)quota + (unsigned long long)period - 1) /
			       (unsigned long long)period;
	return n ? (unsigned long)n : 1;
}

static unsigned long min_limit(unsigned long a, unsigned long b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

/* The smallest quota on the cgroup at mount/path and above it, or 0. */
static unsigned long cgroup_limit(const char *mount, const char *path, bool v2)
{
	char dir[4096];
	unsigned long limit = 0;
	if ((size_t)snprintf(dir, sizeof dir, "%s%s", mount, path) >= sizeof dir)
		return 0;
	size_t top = strlen(mount);
	for (;;) {
		long long quota, period;
		if (v2) {
			if (read_quota(dir, "cpu.max", &quota, &period) == 0)
				limit = min_limit(limit, quota_cpus(quota, period));
		} else if (read_quota(dir, "cpu.cfs_quota_us", &quota, &period) == 0) {
			long long p, unused;
			if (read_quota(dir, "cpu.cfs_period_us", &p, &unused) == 0)
				limit = min_limit(limit, quota_cpus(quota, p));
		}
		char *slash = strrchr(dir, '/');
		if (!slash || (size_t)(slash - dir) < top)
			break;
		*slash = '\0';   /* the parent cgroup, up to the mount point itself */
	}
	return limit;
}

/* Does the comma-separated list of v1 controllers name "cpu"? */
static bool names_cpu(const char *list, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && list[j] != ',')
			j++;
		if (j - i == 3 && memcmp(list + i, "cpu", 3) == 0)
			return true;
		i = j + 1;
	}
	return false;
}

/* The CPU quota of this process's cgroups, or 0 for none. */
static unsigned long cgroup_cpus(void)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return 0;
	char line[4096];
	unsigned long limit = 0;
	while (fgets(line, sizeof line, f)) {
		/* hierarchy-ID:controllers:path */
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2[1] != '/')
			continue;
		const char *path = strcmp(c2 + 1, "/") == 0 ? "" : c2 + 1;
		if (c2 == c1 + 1) {                        /* cgroup v2: "0::/path" */
			limit = min_limit(limit, cgroup_limit("/sys/fs/cgroup", path, true));
			limit = min_limit(limit, cgroup_limit("/sys/fs/cgroup/unified", path, true));
		} else if (names_cpu(c1 + 1, (size_t)(c2 - c1 - 1))) {
			limit = min_limit(limit, cgroup_limit("/sys/fs/cgroup/cpu", path, false));
			limit = min_limit(limit, cgroup_limit("/sys/fs/cgroup/cpu,cpuacct", path, false));
		}
	}
	fclose(f);
	return limit;
}

unsigned long pc_usable_cpus(void)
{
	unsigned long n = affinity_cpus();
	if (n == 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		n = online > 0 ? (unsigned long)online : 1;
	}
	if (n == 1)
		return 1;   /* a quota can only lower it: no files to read */
	unsigned long quota = cgroup_cpus();
	if (quota != 0 && quota < n)
		n = quota;
	return n;
}
