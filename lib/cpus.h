/* cpus.h - how many CPUs this process may use. */
#ifndef PC_CPUS_H
#define PC_CPUS_H

/* The CPUs of this process's affinity mask, capped by the CPU quota of its
 * cgroups (rounded up), as nproc(1) counts them; at least 1. */
unsigned long pc_usable_cpus(void);

#endif
