/* dict.c -- `dyad dict check`: load dictionaries and report every problem. */
#include "cli.h"

#include <string.h>

static const char dict_usage[] =
	"usage: dyad dict check [--dict-format dyad|tabari|petrarch] [--no-builtin] PATH...\n"
	"Loads each PATH (a file or directory) on top of the built-in dictionaries and\n"
	"prints every problem as file:line: message, then a count. Exit 0 if clean,\n"
	"1 if any problem was found, 2 on usage errors.\n";

int cmd_dict(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		fputs(dict_usage, stderr);
		return 2;
	}
	cli_model_opts o = {0};
	const char *paths[256];
	int n_paths = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dict") == 0) {
			fputs(dict_usage, stderr);
			return 2;
		}
		int r = cli_model_option(&o, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r)
			continue;
		if (argv[i][0] == '-' || n_paths == 256) {
			fprintf(stderr, "dyad: unknown option '%s'\n", argv[i]);
			return 2;
		}
		paths[n_paths++] = argv[i];
	}
	if (!n_paths) {
		fputs(dict_usage, stderr);
		return 2;
	}
	int problems = 0;
	dyad_model *m = cli_model_build(&o, &problems);
	if (!m)
		return 2;
	dyad_model_stats before, after;
	dyad_model_get_stats(m, &before);
	for (int i = 0; i < n_paths; i++)
		if (dyad_model_load(m, paths[i], o.dict_format, cli_diag, &problems) < 0)
			problems += problems ? 0 : 1;
	dyad_model_get_stats(m, &after);
	printf("%d problems; loaded %zu actor phrases, %zu agent phrases, %zu verb patterns, "
	       "%zu cleaning rules\n",
	       problems, after.actor_phrases - before.actor_phrases,
	       after.agent_phrases - before.agent_phrases,
	       after.verb_patterns - before.verb_patterns, after.clean_rules - before.clean_rules);
	dyad_model_free(m);
	return problems ? 1 : 0;
}
