// Signs in to the dashboard with a key, as its form does, and answers the session cookie
// ("name=value") the page tests send back.
import { BASE, call } from "../helpers";

export async function dashboardCookie(key: string): Promise<string> {
  const res = await call("/dashboard/sign-in", {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: new URLSearchParams({ key }).toString(),
  });
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
