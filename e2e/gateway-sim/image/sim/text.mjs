// Small text helpers: version ordering and just enough XML for module.xml and backupinfo.xml.

/** Compares dotted versions by their leading numbers ("8.1.33 (b2023...)" counts as 8.1.33). */
export function compareVersions(left, right) {
  const a = numericParts(left);
  const b = numericParts(right);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function numericParts(version) {
  const match = /^\s*(\d+(?:\.\d+)*)/.exec(version);
  return match ? match[1].split('.').map(Number) : [];
}

/** The text of the first <tag>...</tag>, unescaped and trimmed; undefined when absent. */
export function tagText(xml, tag) {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match ? unescapeXml(match[1]).trim() : undefined;
}

export function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** "a, b,,c" -> Set {a, b, c} */
export function commaSet(value) {
  return new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}
