"""The book's own search index: what a reader's browser needs to search without a server.

One module per stage, typed records between them:

- `text`: words -> stems (the Korean stemmer of `blogbook.ext.ko_search`, identical in the
  browser), and the initial consonants of a Hangul stem;
- `records`: a page's doctree -> `PageRecord` (title, headings, body blocks, stem counts);
- `pairs`: Korean/English spellings of one word harvested from the text (`도커(Docker)`);
- `synonyms`: harvested pairs + the configured table -> `SynonymTable` (one group per word);
- `bm25`: the ranking function (BM25F), computed once at build time per (word, page);
- `index`: records + synonyms -> `SearchIndex` (meta, shards by stem prefix, fragments);
- `emit`: `SearchIndex` -> the files under `_search/`, each a script that registers itself
  (so the search works from `file://` too, where `fetch()` cannot read files).
"""
