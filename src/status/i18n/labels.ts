// The public status page's own words in each language it speaks (pure). What people wrote
// (titles, updates, maintenance text) stays as written; what the page writes about
// incidents (titles, the release change) is ./generated.ts's.

import type { ReleaseChangeView } from "../incident-text";
import type { ComponentState } from "../state";
import { dayIn, daysIn, whenIn } from "./dates";
import { changeIn, titleIn } from "./generated";
import type { Lang } from "./language";

type UpdateStatus = "investigating" | "identified" | "monitoring" | "resolved";

export interface Labels {
  lang: Lang;
  day: (ms: number) => string;
  /** A range of days, the month once when it is one: "8–24 Nov", "30 Nov – 1 Dec". */
  days: (from: number, to: number) => string;
  when: (ms: number) => string;
  /** An incident's title from its metric; `english` is publicTitle's, used as is in English. */
  incidentTitle: (metric: string | null | undefined, english: string) => string;
  change: (c: ReleaseChangeView) => string;
  title: (page: string) => string;
  banner: Record<ComponentState, string>;
  state: Record<ComponentState, string>;
  update: Record<UpdateStatus, string>;
  updated: string;
  services: string;
  last90: string;
  incidents: string;
  noIncidents: string;
  /** "99.95 % of minutes and 97.8 % of days without incident" (minutes may be absent). */
  clean: (minutes: string | null, days: string) => string;
  noDataYet: string;
  noTraffic: string;
  latency: string;
  satisfaction: string;
  noRuns: string;
  runsCorrect: (share: string, runs: number) => string;
  detected: string;
  acknowledged: string;
  resolved: string;
  changeShipped: string;
  after: (change: string) => string;
  duringMaintenance: string;
  signals: string;
  moreSignals: (n: number) => string;
  maintenance: string;
  scheduled: string;
  inProgress: string;
  underMaintenance: string;
  quietDays: string;
  lastDays: (n: number) => string;
  subscribe: string;
  feed: string;
  badge: string;
  timesUtc: string;
  monitoredBy: string;
}

type Words = Omit<Labels, "lang" | "day" | "days" | "when" | "incidentTitle" | "change">;

const EN: Words = {
  title: (page) => `${page} status`,
  banner: {
    operational: "All systems operational",
    degraded: "Some answers are degraded",
    major_outage: "Major outage",
    no_data: "No recent data",
  },
  state: {
    operational: "Operational",
    degraded: "Degraded",
    major_outage: "Major outage",
    no_data: "No data",
  },
  update: {
    investigating: "Investigating",
    identified: "Identified",
    monitoring: "Monitoring",
    resolved: "Resolved",
  },
  updated: "Updated",
  services: "Services",
  last90: "Last 90 days, today on the right",
  incidents: "Incidents, last 14 days",
  noIncidents: "No incidents in the last 14 days.",
  clean: (m, d) => `${m === null ? "" : `${m} of minutes and `}${d} of days without incident`,
  noDataYet: "No data yet",
  noTraffic: "No traffic in the last 24 hours.",
  latency: "Latency p95, 24 h",
  satisfaction: "Satisfaction (thumbs up), 24 h",
  noRuns: "No runs yet",
  runsCorrect: (s, n) => `${s} of ${n} runs correct`,
  detected: "Detected",
  acknowledged: "Acknowledged, investigating",
  resolved: "Resolved",
  changeShipped: "Change shipped",
  after: (c) => ` · after ${c}`,
  duringMaintenance: " · during maintenance",
  signals: "Signals",
  moreSignals: (n) => ` (+${n} more signals)`,
  maintenance: "Scheduled maintenance",
  scheduled: "Scheduled",
  inProgress: "In progress",
  underMaintenance: "Under maintenance",
  quietDays: "No incidents",
  lastDays: (n) => `Last ${n} days`,
  subscribe: "Subscribe",
  feed: "Atom feed",
  badge: "Badge",
  timesUtc: "Times in UTC",
  monitoredBy: "Monitored by Driftwatch",
};

const DE: Words = {
  title: (page) => `${page} Status`,
  banner: {
    operational: "Alle Systeme funktionieren",
    degraded: "Einige Antworten sind beeinträchtigt",
    major_outage: "Größerer Ausfall",
    no_data: "Keine aktuellen Daten",
  },
  state: {
    operational: "Betriebsbereit",
    degraded: "Beeinträchtigt",
    major_outage: "Größerer Ausfall",
    no_data: "Keine Daten",
  },
  update: {
    investigating: "Wird untersucht",
    identified: "Ursache gefunden",
    monitoring: "Wird beobachtet",
    resolved: "Behoben",
  },
  updated: "Aktualisiert",
  services: "Dienste",
  last90: "Letzte 90 Tage, heute rechts",
  incidents: "Vorfälle der letzten 14 Tage",
  noIncidents: "Keine Vorfälle in den letzten 14 Tagen.",
  clean: (m, d) => `${m === null ? "" : `${m} der Minuten und `}${d} der Tage ohne Vorfall`,
  noDataYet: "Noch keine Daten",
  noTraffic: "Kein Verkehr in den letzten 24 Stunden.",
  latency: "Latenz p95, 24 h",
  satisfaction: "Zufriedenheit (Daumen hoch), 24 h",
  noRuns: "Noch keine Läufe",
  runsCorrect: (s, n) => `${s} von ${n} Läufen korrekt`,
  detected: "Erkannt",
  acknowledged: "Bestätigt, wird untersucht",
  resolved: "Behoben",
  changeShipped: "Änderung ausgeliefert",
  after: (c) => ` · zuvor: ${c}`,
  duringMaintenance: " · während einer Wartung",
  signals: "Signale",
  moreSignals: (n) => ` (+${n} weitere Signale)`,
  maintenance: "Geplante Wartung",
  scheduled: "Geplant",
  inProgress: "Läuft",
  underMaintenance: "In Wartung",
  quietDays: "Keine Vorfälle",
  lastDays: (n) => `Letzte ${n} Tage`,
  subscribe: "Abonnieren",
  feed: "Atom-Feed",
  badge: "Badge",
  timesUtc: "Zeiten in UTC",
  monitoredBy: "Überwacht von Driftwatch",
};

const FR: Words = {
  title: (page) => `Statut de ${page}`,
  banner: {
    operational: "Tous les systèmes sont opérationnels",
    degraded: "Certaines réponses sont dégradées",
    major_outage: "Panne majeure",
    no_data: "Aucune donnée récente",
  },
  state: {
    operational: "Opérationnel",
    degraded: "Dégradé",
    major_outage: "Panne majeure",
    no_data: "Aucune donnée",
  },
  update: {
    investigating: "Analyse en cours",
    identified: "Cause identifiée",
    monitoring: "Sous surveillance",
    resolved: "Résolu",
  },
  updated: "Mis à jour",
  services: "Services",
  last90: "90 derniers jours, aujourd’hui à droite",
  incidents: "Incidents des 14 derniers jours",
  noIncidents: "Aucun incident ces 14 derniers jours.",
  clean: (m, d) => `${m === null ? "" : `${m} des minutes et `}${d} des jours sans incident`,
  noDataYet: "Pas encore de données",
  noTraffic: "Aucun trafic ces dernières 24 heures.",
  latency: "Latence p95, 24 h",
  satisfaction: "Satisfaction (pouce levé), 24 h",
  noRuns: "Aucune exécution",
  runsCorrect: (s, n) => `${s} de ${n} exécutions correctes`,
  detected: "Détecté",
  acknowledged: "Pris en compte, analyse en cours",
  resolved: "Résolu",
  changeShipped: "Changement déployé",
  after: (c) => ` · après ${c}`,
  duringMaintenance: " · pendant une maintenance",
  signals: "Signaux",
  moreSignals: (n) => ` (+${n} autres signaux)`,
  maintenance: "Maintenance planifiée",
  scheduled: "Planifiée",
  inProgress: "En cours",
  underMaintenance: "En maintenance",
  quietDays: "Aucun incident",
  lastDays: (n) => `${n} derniers jours`,
  subscribe: "S’abonner",
  feed: "Flux Atom",
  badge: "Badge",
  timesUtc: "Heures en UTC",
  monitoredBy: "Surveillé par Driftwatch",
};

const ES: Words = {
  title: (page) => `Estado de ${page}`,
  banner: {
    operational: "Todos los sistemas funcionan",
    degraded: "Algunas respuestas están degradadas",
    major_outage: "Interrupción grave",
    no_data: "Sin datos recientes",
  },
  state: {
    operational: "Operativo",
    degraded: "Degradado",
    major_outage: "Interrupción grave",
    no_data: "Sin datos",
  },
  update: {
    investigating: "Investigando",
    identified: "Identificado",
    monitoring: "En observación",
    resolved: "Resuelto",
  },
  updated: "Actualizado",
  services: "Servicios",
  last90: "Últimos 90 días, hoy a la derecha",
  incidents: "Incidentes de los últimos 14 días",
  noIncidents: "Sin incidentes en los últimos 14 días.",
  clean: (m, d) => `${m === null ? "" : `${m} de los minutos y `}${d} de los días sin incidentes`,
  noDataYet: "Aún sin datos",
  noTraffic: "Sin tráfico en las últimas 24 horas.",
  latency: "Latencia p95, 24 h",
  satisfaction: "Satisfacción (pulgar arriba), 24 h",
  noRuns: "Aún sin ejecuciones",
  runsCorrect: (s, n) => `${s} de ${n} ejecuciones correctas`,
  detected: "Detectado",
  acknowledged: "Reconocido, investigando",
  resolved: "Resuelto",
  changeShipped: "Cambio desplegado",
  after: (c) => ` · tras ${c}`,
  duringMaintenance: " · durante un mantenimiento",
  signals: "Señales",
  moreSignals: (n) => ` (+${n} señales más)`,
  maintenance: "Mantenimiento programado",
  scheduled: "Programado",
  inProgress: "En curso",
  underMaintenance: "En mantenimiento",
  quietDays: "Sin incidentes",
  lastDays: (n) => `Últimos ${n} días`,
  subscribe: "Suscribirse",
  feed: "Feed Atom",
  badge: "Insignia",
  timesUtc: "Horas en UTC",
  monitoredBy: "Monitorizado por Driftwatch",
};

const JA: Words = {
  title: (page) => `${page} ステータス`,
  banner: {
    operational: "すべてのシステムが正常です",
    degraded: "一部の回答の品質が低下しています",
    major_outage: "重大な障害",
    no_data: "最近のデータがありません",
  },
  state: {
    operational: "正常",
    degraded: "低下",
    major_outage: "重大な障害",
    no_data: "データなし",
  },
  update: {
    investigating: "調査中",
    identified: "原因特定",
    monitoring: "経過観察中",
    resolved: "解決済み",
  },
  updated: "更新",
  services: "サービス",
  last90: "過去90日間（右端が今日）",
  incidents: "過去14日間のインシデント",
  noIncidents: "過去14日間にインシデントはありません。",
  clean: (m, d) => `インシデントなし: ${m === null ? "" : `時間の${m}、`}日数の${d}`,
  noDataYet: "まだデータがありません",
  noTraffic: "過去24時間のトラフィックはありません。",
  latency: "レイテンシ p95（24時間）",
  satisfaction: "満足度（高評価）（24時間）",
  noRuns: "まだ実行されていません",
  runsCorrect: (s, n) => `${n}回中 ${s} が正解`,
  detected: "検出",
  acknowledged: "確認済み、調査中",
  resolved: "解決済み",
  changeShipped: "変更をリリース",
  after: (c) => ` · 直前の変更: ${c}`,
  duringMaintenance: " · メンテナンス中",
  signals: "シグナル",
  moreSignals: (n) => `（他 ${n} 件のシグナル）`,
  maintenance: "計画メンテナンス",
  scheduled: "予定",
  inProgress: "実施中",
  underMaintenance: "メンテナンス中",
  quietDays: "異常なし",
  lastDays: (n) => `過去${n}日間`,
  subscribe: "購読",
  feed: "Atomフィード",
  badge: "バッジ",
  timesUtc: "時刻はUTC",
  monitoredBy: "Driftwatchで監視",
};

const WORDS: Record<Lang, Words> = { en: EN, de: DE, fr: FR, es: ES, ja: JA };

export function labelsFor(lang: Lang): Labels {
  return {
    ...WORDS[lang],
    lang,
    day: (ms) => dayIn(lang, ms),
    days: (from, to) => daysIn(lang, from, to),
    when: (ms) => whenIn(lang, ms),
    incidentTitle: (metric, english) => titleIn(lang, metric, english),
    change: (c) => changeIn(lang, c),
  };
}

export const ENGLISH = labelsFor("en");
