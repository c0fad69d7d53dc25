// Similarity of an answer to a reference answer: Jaccard overlap of their word-token
// sets, |A ∩ B| / |A ∪ B| in [0, 1]. Order-free and linear in the answer's length, so
// it tolerates rephrasing ("Paris is the capital" vs "The capital is Paris" = 1) and
// costs nothing on long answers, unlike an O(n·m) edit distance. Tokens are runs of
// letters and digits in any script, lower-cased; two empty texts are identical (1).

export function tokenSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

export function jaccardSimilarity(a: string, b: string): number {
  const sa = tokenSet(a);
  const sb = tokenSet(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let both = 0;
  for (const t of sa) if (sb.has(t)) both++;
  return both / (sa.size + sb.size - both);
}
