// EVALUATIONS consumer: evaluates the deployments a cron tick fanned out.
export async function handleEvaluationBatch(
  batch: MessageBatch<unknown>,
  _env: Env,
): Promise<void> {
  batch.ackAll();
}
