// The HTML shell every page shares: meta tags, the inline stylesheet, the body.
import type { Child } from "hono/jsx";
import { FAVICON_PATH } from "./favicon";
import { BASE_CSS } from "./styles";

export function Document(props: {
  title: string;
  css?: string;
  children: Child;
  head?: Child;
  lang?: string;
}) {
  return (
    <html lang={props.lang ?? "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href={FAVICON_PATH} />
        <title>{props.title}</title>
        {/* A constant of ours, not user input: inserted raw so CSS selectors like `>` survive. */}
        <style dangerouslySetInnerHTML={{ __html: BASE_CSS + (props.css ?? "") }} />
        {props.head}
      </head>
      <body>{props.children}</body>
    </html>
  );
}
