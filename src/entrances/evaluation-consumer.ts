// EVALUATIONS consumer: evaluates the deployments a cron tick fanned out.

import { evaluateFromMessages } from "../alerts/evaluation/run-evaluations";
import { EvaluationMessageSchema } from "../queue/message-schema";

export async function handleEvaluationBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EvaluationMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error("invalid evaluation message", parsed.error.message);
      message.ack();
      continue;
    }
    const [result] = await evaluateFromMessages(env, [parsed.data]);
    if (result?.ok) message.ack();
    else message.retry();
  }
}
