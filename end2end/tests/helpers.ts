import AxeBuilder from "@axe-core/playwright";
import { expect, Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";

/** Fails the test when axe-core finds any WCAG 2.1 A/AA violation on the page. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** The setup link the server printed at start. */
export function setupLinkFromLog(): string {
  const log = readFileSync(join(__dirname, "..", ".run", "server.log"), "utf8");
  const match = log.match(/https?:\/\/\S+\/setup\/[0-9a-f]{64}/);
  if (!match) throw new Error(`no setup link in the server log:\n${log}`);
  return new URL(match[0]).pathname;
}

/** Opens a page and waits until the wasm has hydrated it (clicks before that are lost). */
export async function open(page: Page, path: string) {
  await page.goto(path, { waitUntil: "networkidle" });
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An attached iCalendar object (text/calendar), or "". */
  calendar: string;
}

/** The decoded body of the first MIME part of `raw` with this content type, or "". */
function mimePart(raw: string, type: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
    if (!new RegExp(`^Content-Type: ${type}`, "mi").test(unfolded)) continue;
    const body = rest.join("\n\n").replace(/\r?\n--[^]*$/, "");
    const encoding = (unfolded.match(/^Content-Transfer-Encoding: (\S+)/im)?.[1] ?? "7bit").toLowerCase();
    if (encoding === "base64") return Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8");
    if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
    return body;
  }
  return "";
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : decodeQuotedPrintable(text.replace(/_/g, " ")),
  );
}

/** Every mail the test SMTP server (aiosmtpd, started by serve.sh) has received. */
export function receivedMails(): Mail[] {
  const dir = join(__dirname, "..", ".run", "mail", "new");
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((path) => {
      const raw = readFileSync(path, "utf8");
      const [head] = raw.split(/\r?\n\r?\n/);
      const header = (name: string) => {
        const m = head.replace(/\r?\n[ \t]+/g, " ").match(new RegExp(`^${name}: (.*)$`, "mi"));
        return m ? decodeHeader(m[1].trim()) : "";
      };
      const plain = raw.match(/Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n--/i);
      return {
        to: header("To"),
        subject: header("Subject"),
        text: plain ? decodeQuotedPrintable(plain[1]) : "",
        calendar: mimePart(raw, "text\\/calendar"),
      };
    });
}

/** Waits (up to 20 s) for a mail to `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject: string): Promise<Mail> {
  for (let i = 0; i < 200; i++) {
    const found = receivedMails()
      .reverse()
      .find((m) => m.to.includes(to) && m.subject.includes(subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} about "${subject}"; got: ${JSON.stringify(receivedMails().map((m) => [m.to, m.subject]))}`);
}

/** The path of the first link in a mail that contains `segment` (e.g. "/invite/"). */
export function linkPath(mail: Mail, segment: string): string {
  const m = mail.text.match(new RegExp(`https?://\\S+${segment}[0-9a-f]{64}`));
  if (!m) throw new Error(`no ${segment} link in:\n${mail.text}`);
  return new URL(m[0]).pathname;
}

/** Logs in through the login form. */
export async function login(page: Page, email: string, password: string) {
  await open(page, "/login");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** The code an authenticator app shows for a base32 secret (RFC 6238, SHA-1, 30 s). */
export function totp(secret: string, at: number = Date.now() / 1000): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of secret.replace(/\s/g, "")) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const h = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return ((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

/**
 * Decodes a PNG far enough to prove it is whole: the signature, every chunk's CRC, the
 * header, and the inflated image data of exactly the size the header promises.
 */
export function decodePng(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8) throw new Error("expected 8 bits per channel");
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[body[9]] ?? 0;
    } else if (type === "IDAT") {
      data.push(body);
    }
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(data));
  if (pixels.length !== height * (1 + width * channels)) throw new Error("image data has the wrong size");
  return { width, height };
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Clicks a link or button in the header, opening the menu first where it is folded away (a phone). */
export async function fromMenu(page: Page, role: "link" | "button", name: string) {
  const target = page.getByRole("banner").getByRole(role, { name });
  if (!(await target.isVisible())) await page.locator("summary.site-menu__button").click();
  await target.click();
}
