// What the status page writes itself about incidents, in de, fr, es and ja (pure): each
// metric's public title (English in ../incident-text.ts) and the release-change sentence.
// Client-set values (release labels, eval and tag names) stay as sent. English, and the
// JSON, Atom and badge answers, keep the English words.
import type { ReleaseChangeView, ReleaseField } from "../incident-text";
import type { Lang } from "./language";

interface Generated {
  titles: Record<string, string>;
  fallback: string;
  evals: (name: string) => string;
  tags: (name: string) => string;
  field: Record<ReleaseField, string>;
  none: string;
  newRelease: string;
  /** "a prompt and model change": which fields changed, without their values. */
  unlabelled: (fields: string[]) => string;
  /** Between changed fields in a labelled summary. */
  comma: string;
}

const and = (word: string) => (fields: string[]) =>
  fields.length > 1 ? `${fields.slice(0, -1).join(", ")} ${word} ${fields.at(-1)}` : `${fields[0]}`;

const DE: Generated = {
  titles: {
    error_rate: "Mehr fehlgeschlagene Antworten",
    timeout_rate: "Mehr Antworten mit Zeitüberschreitung",
    refusal_rate: "Mehr abgelehnte Anfragen",
    filtered_rate: "Mehr gefilterte Antworten",
    unanswered_rate: "Mehr unbeantwortete Fragen",
    escalation_rate: "Mehr Gespräche an einen Menschen übergeben",
    thumbs_down_rate: "Mehr unzufriedene Nutzer",
    latency_ms: "Langsamere Antworten",
    ttft_ms: "Langsamere erste Reaktion",
    output_chars: "Antwortlänge verändert",
    output_tokens: "Antwortlänge verändert",
    retrieval_top_score: "Schwächere Dokumentensuche",
    model_mix: "Verwendetes Modell geändert",
    finish_reason_mix: "Antworten enden anders",
    cost_per_request: "Höhere Kosten pro Anfrage",
    traffic: "Verkehr eingebrochen",
    probe: "Synthetische Prüfung schlägt fehl",
  },
  fallback: "Qualität beeinträchtigt",
  evals: (x) => `Niedrigere Werte für ${x}`,
  tags: (x) => `Verschiebung bei ${x}`,
  field: { release: "Release", prompt: "Prompt", model: "Modell", provider: "Anbieter" },
  none: "keins",
  newRelease: "neues Release",
  unlabelled: (f) => `Änderung an ${and("und")(f)}`,
  comma: ", ",
};

const FR: Generated = {
  titles: {
    error_rate: "Plus de réponses en échec",
    timeout_rate: "Plus de réponses expirées",
    refusal_rate: "Plus de requêtes refusées",
    filtered_rate: "Plus de réponses filtrées",
    unanswered_rate: "Plus de questions sans réponse",
    escalation_rate: "Plus de conversations confiées à un humain",
    thumbs_down_rate: "Plus d’utilisateurs insatisfaits",
    latency_ms: "Réponses plus lentes",
    ttft_ms: "Première réponse plus lente",
    output_chars: "Longueur des réponses modifiée",
    output_tokens: "Longueur des réponses modifiée",
    retrieval_top_score: "Recherche de documents moins pertinente",
    model_mix: "Modèle utilisé modifié",
    finish_reason_mix: "Réponses se terminant autrement",
    cost_per_request: "Coût par requête plus élevé",
    traffic: "Baisse du trafic",
    probe: "Vérification synthétique en échec",
  },
  fallback: "Qualité dégradée",
  evals: (x) => `Scores ${x} en baisse`,
  tags: (x) => `Répartition ${x} modifiée`,
  field: { release: "version", prompt: "prompt", model: "modèle", provider: "fournisseur" },
  none: "aucun",
  newRelease: "une nouvelle version",
  unlabelled: (f) => `un changement de ${and("et")(f)}`,
  comma: ", ",
};

const ES: Generated = {
  titles: {
    error_rate: "Más respuestas fallidas",
    timeout_rate: "Más respuestas que agotan el tiempo",
    refusal_rate: "Más solicitudes rechazadas",
    filtered_rate: "Más respuestas filtradas",
    unanswered_rate: "Más preguntas sin respuesta",
    escalation_rate: "Más conversaciones derivadas a una persona",
    thumbs_down_rate: "Más usuarios insatisfechos",
    latency_ms: "Respuestas más lentas",
    ttft_ms: "Primera respuesta más lenta",
    output_chars: "Cambió la longitud de las respuestas",
    output_tokens: "Cambió la longitud de las respuestas",
    retrieval_top_score: "Recuperación de documentos más débil",
    model_mix: "Cambió el modelo en uso",
    finish_reason_mix: "Respuestas que terminan de otra forma",
    cost_per_request: "Mayor coste por solicitud",
    traffic: "Caída del tráfico",
    probe: "Comprobación sintética fallando",
  },
  fallback: "Calidad degradada",
  evals: (x) => `Puntuaciones de ${x} más bajas`,
  tags: (x) => `Cambio en la mezcla de ${x}`,
  field: { release: "versión", prompt: "prompt", model: "modelo", provider: "proveedor" },
  none: "ninguno",
  newRelease: "una nueva versión",
  unlabelled: (f) => `un cambio de ${and("y")(f)}`,
  comma: ", ",
};

const JA: Generated = {
  titles: {
    error_rate: "失敗した回答の増加",
    timeout_rate: "タイムアウトする回答の増加",
    refusal_rate: "拒否されたリクエストの増加",
    filtered_rate: "フィルタされた回答の増加",
    unanswered_rate: "未回答の質問の増加",
    escalation_rate: "人に引き継がれた会話の増加",
    thumbs_down_rate: "不満なユーザーの増加",
    latency_ms: "回答の遅延",
    ttft_ms: "最初の応答の遅延",
    output_chars: "回答の長さの変化",
    output_tokens: "回答の長さの変化",
    retrieval_top_score: "文書検索の精度低下",
    model_mix: "使用モデルの変更",
    finish_reason_mix: "回答の終わり方の変化",
    cost_per_request: "リクエスト単価の上昇",
    traffic: "トラフィックの減少",
    probe: "合成チェックの失敗",
  },
  fallback: "品質の低下",
  evals: (x) => `${x} スコアの低下`,
  tags: (x) => `${x} の構成の変化`,
  field: { release: "リリース", prompt: "プロンプト", model: "モデル", provider: "プロバイダー" },
  none: "なし",
  newRelease: "新しいリリース",
  unlabelled: (f) => `${f.join("・")}の変更`,
  comma: "、",
};

const GENERATED: Record<Exclude<Lang, "en">, Generated> = { de: DE, fr: FR, es: ES, ja: JA };

/** An incident's public title in the language; `english` (publicTitle's) in English. */
export function titleIn(lang: Lang, metric: string | null | undefined, english: string): string {
  if (lang === "en") return english;
  const g = GENERATED[lang];
  if (!metric) return g.fallback;
  if (metric.startsWith("evals.")) return g.evals(metric.slice(6).replaceAll("_", " "));
  if (metric.startsWith("tags.")) return g.tags(metric.slice(5).replaceAll("_", " "));
  return g.titles[metric] ?? g.fallback;
}

/** The release change that preceded an incident, in the language; its summary in English. */
export function changeIn(lang: Lang, change: ReleaseChangeView): string {
  if (lang === "en") return change.summary;
  const g = GENERATED[lang];
  if (change.changes.length === 0) return g.newRelease;
  if (!change.labelled) return g.unlabelled(change.changes.map((c) => g.field[c.field]));
  return change.changes
    .map((c) => `${g.field[c.field]} ${c.from || g.none} → ${c.to || g.none}`)
    .join(g.comma);
}
