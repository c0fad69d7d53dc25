// Pure drift statistics: tests, distances and the distributions behind their p-values. No I/O.

export {
  type ArmState,
  armThreshold,
  type BankAlarm,
  type BankDesign,
  type BankState,
  type BernoulliArm,
  type BernoulliBank,
  bernoulliKl,
  DIFFUSION_SD_LIMIT,
  designBernoulliBank,
  initialBankState,
  RISE_ODDS_RATIOS,
  stepBernoulliBank,
  withOddsRatio,
} from "./bernoulli-cusum";
export { type CategoryExactTest, categoryExactTest } from "./category-exact-test";
export { type CategoryShift, categoryShift } from "./category-shift";
export { chi2Cdf, chi2Quantile, chi2Sf } from "./chi-squared-distribution";
export {
  type ChiSquaredOptions,
  type ChiSquaredTest,
  chiSquaredHomogeneity,
} from "./chi-squared-test";
export { combinedArl, cusumThreshold, siegmundArl0 } from "./cusum-arl";
export {
  type DailyProfile,
  fitDailyProfile,
  type HourOfDayCounts,
  PROFILE_ALPHA,
  PROFILE_HARMONICS,
  profileFactor,
} from "./daily-profile";
export {
  type DistributionDetector,
  designDistributionDetector,
  initialDistributionState,
  stepDistribution,
} from "./distribution-cusum";
export { erf, erfc } from "./erf";
export {
  designExceedanceDetector,
  type ExceedanceDetector,
  type ExceedanceStream,
  exceedanceStreams,
  initialExceedanceState,
  type ShiftDirection,
  stepExceedance,
} from "./exceedance-cusum";
export { logGamma, regularizedGammaP, regularizedGammaQ } from "./gamma";
export { holmAdjust } from "./holm";
export {
  hypergeometricLower,
  hypergeometricPmf,
  hypergeometricUpper,
} from "./hypergeometric";
export { jensenShannonDistance } from "./jensen-shannon";
export { kolmogorovCdf, kolmogorovSf } from "./kolmogorov-distribution";
export { type KsTest, ksAsymptoticPValue, ksFromCdfs, ksFromSamples } from "./kolmogorov-smirnov";
export { type IncrementLaw, markovChainArl, scoreIncrementLaw } from "./markov-arl";
export { type DifferenceInterval, newcombeDifference } from "./newcombe-interval";
export { normalCdf, normalSf } from "./normal";
export { normalQuantile } from "./normal-quantile";
export {
  designScoreBank,
  initialScoreState,
  normalScore,
  normalScoreTable,
  SCORE_SHIFTS,
  type ScoreArm,
  type ScoreBank,
  type ScoreTable,
  scoreSum,
  stepScoreBank,
} from "./normal-score-cusum";
export { poissonLowerTail, poissonUpperTail } from "./poisson";
export { PSI_EPSILON, psi, psiNullQuantile, psiPValue } from "./population-stability-index";
export { psiCalibratedQuantile } from "./psi-calibrated-quantile";
export { PSI_TABLE_CURRENT } from "./psi-null-table";
export {
  compareQuantiles,
  type QuantileBounds,
  type QuantileComparison,
  quantileRanks,
} from "./quantile-interval";
export {
  type QuantileRatios,
  type Quantiles,
  quantileRatio,
  quantileRatios,
} from "./quantile-ratio";
export { poissonRateRatio, type RatioInterval } from "./rate-ratio-interval";
export {
  PRIOR_TRIALS,
  type SegmentExcess,
  type SegmentInput,
  segmentExcess,
} from "./segment-excess";
export { PRIOR_VALUES, type SegmentShift, type ShiftInput, segmentShift } from "./segment-shift";
export { type TwoProportionZTest, twoProportionZTest } from "./two-proportion-z-test";
export {
  normalisedWasserstein1,
  WASSERSTEIN_MIN_SCALE,
  wasserstein1,
  wasserstein1Binned,
  weightedStd,
} from "./wasserstein";
export { type WilsonInterval, wilsonInterval, Z_95 } from "./wilson-interval";
