// Signs in to the dashboard with a key, as its form does, and answers the session cookie
// ("name=value") the page tests send back.
import { post } from "./dashboard-form";

export async function dashboardCookie(key: string): Promise<string> {
  const res = await post("/dashboard/sign-in", { key });
  // A refused sign-in would leave the tests reading the sign-in form instead of their page.
  if (res.status !== 303) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
