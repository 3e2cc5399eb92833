/**
 * A one-page A4 PDF worksheet for a demo lesson, written by hand: PDF 1.4, the two standard
 * Helvetica fonts (no embedding, so ~2 KB), one content stream and a correct cross-reference
 * table, so every viewer opens it.
 */

export interface Worksheet {
  title: string;
  course: string;
  module: string;
  /** School name, printed in the header. */
  school: string;
}

/** WinAnsiEncoding bytes of the characters a title may hold; anything else becomes "?". */
const WIN_ANSI: Record<string, number> = {
  "–": 0x96,
  "—": 0x97,
  "‘": 0x91,
  "’": 0x92,
  "“": 0x93,
  "”": 0x94,
  "•": 0x95,
};

function pdfString(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const byte = WIN_ANSI[ch] ?? (code >= 0x20 && code <= 0xff && code !== 0x7f ? code : 0x3f);
    const c = String.fromCharCode(byte);
    out += c === "(" || c === ")" || c === "\\" ? `\\${c}` : c;
  }
  return `(${out})`;
}

/** Greedy word wrap by character count (Helvetica is near enough to even for headings). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function content(sheet: Worksheet): string {
  const ops: string[] = [];
  const text = (font: string, size: number, x: number, y: number, value: string) =>
    ops.push(`BT /${font} ${size} Tf ${x} ${y} Td ${pdfString(value)} Tj ET`);
  let y = 790;
  text("F2", 10, 56, y, `${sheet.school} · ${sheet.course}`);
  y -= 40;
  for (const line of wrap(sheet.title, 42)) {
    text("F1", 20, 56, y, line);
    y -= 26;
  }
  text("F2", 12, 56, y - 4, `Module: ${sheet.module}`);
  y -= 44;
  text("F2", 12, 56, y, "Name: ______________________________   Date: ______________");
  y -= 40;
  const tasks = [
    "Write down the three most important ideas from this module in your own words.",
    "Make up one example of your own for each idea and solve it.",
    "Which part did you find hardest? Write a question to ask your teacher.",
    "Swap with a classmate and check each other's answers.",
  ];
  tasks.forEach((task, i) => {
    for (const [j, line] of wrap(task, 80).entries()) {
      text("F2", 12, j === 0 ? 56 : 72, y, j === 0 ? `${i + 1}. ${line}` : line);
      y -= 16;
    }
    // ruled answer lines
    for (let k = 0; k < 4; k++) {
      y -= 22;
      ops.push(`0.7 G 0.5 w 72 ${y} m 539 ${y} l S`);
    }
    y -= 26;
  });
  text("F2", 9, 56, 40, "Elymica demo worksheet — generated for the demo school, free to print.");
  return ops.join("\n");
}

/** The worksheet as PDF bytes. */
export function worksheetPdf(sheet: Worksheet): Uint8Array {
  const stream = content(sheet);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
    "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    `<< /Title ${pdfString(sheet.title)} /Producer (Elymica) >>`,
  ];
  // Every character is one byte (WinAnsi), so string lengths are byte offsets.
  let pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\n`;
  pdf += `startxref\n${xref}\n%%EOF\n`;
  return Uint8Array.from(pdf, (c) => c.charCodeAt(0));
}
