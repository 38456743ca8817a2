/* replay.c -- runs the fuzz targets over their corpora in the normal tests.
 *
 * Usage: replay DIR...  Every file in each DIR (hidden files skipped) goes
 * to the target of that corpus: a directory named "read" to
 * dyad_fuzz_read, "dict" to dyad_fuzz_dict, any other to
 * LLVMFuzzerTestOneInput. Prints "N files replayed" and exits 0; a crash
 * or a sanitizer report is the failure. The targets are weak references,
 * so the binary links with whichever targets are present.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) __attribute__((weak));
extern int dyad_fuzz_read(const uint8_t *data, size_t size) __attribute__((weak));
extern int dyad_fuzz_dict(const uint8_t *data, size_t size) __attribute__((weak));

static fuzz_fn target_for(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && dir[b - 1] != '/')
		b--;
	if (n - b == 4 && memcmp(dir + b, "read", 4) == 0 && dyad_fuzz_read)
		return dyad_fuzz_read;
	if (n - b == 4 && memcmp(dir + b, "dict", 4) == 0 && dyad_fuzz_dict)
		return dyad_fuzz_dict;
	return LLVMFuzzerTestOneInput;
}

/* Reads a whole file; NULL when it cannot be read. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int replay_dir(const char *dir, long *count)
{
	fuzz_fn fn = target_for(dir);
	if (!fn) {
		fprintf(stderr, "replay: no fuzz target linked for %s\n", dir);
		return 1;
	}
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		return 1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		if (names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) < (int)sizeof path &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			size_t len = 0;
			uint8_t *data = slurp(path, &len);
			if (data) {
				fn(data, len);
				(*count)++;
			} else {
				perror(path);
				rc = 1;
			}
			free(data);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	long count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= replay_dir(argv[i], &count);
	printf("%ld files replayed\n", count);
	return rc;
}
