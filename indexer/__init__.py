"""Indexing: files -> cleaned, sentence-aligned chunks -> Chroma (truth) + BM25/matrix cache (fast queries).

Entry points:
- `indexer.pipeline.index_paths(settings, paths, *, progress, embedder=None) -> IndexReport`
  (`run_index` also returns per-stage timings);
- `indexer.store.IndexStore(settings)`: `load()`, `chunks`, `get(id)`, `bm25_search(query, k)`,
  `dense_search(vector, k)`, `len(store)`;
- `indexer.embedding.Embedder(settings)`: `encode(texts)`, `encode_query(text)`, `count_tokens(texts)`;
- `indexer.analysis.analyze(text)`: the BM25 analyzer for chunks and queries alike;
- `indexer.throughput.measure_throughput(...)`: indexing vs raw encode throughput, for `schakel bench`.
"""
