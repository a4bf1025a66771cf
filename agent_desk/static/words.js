/*
 * The desk's words for its scripts, in the signed-in agent's language: base.html carries them
 * as JSON (#desk-words, agent_desk/i18n.py's SCRIPT_TEXTS from the same catalog as the
 * templates). A text not in the table is shown as written; %(name)s placeholders are filled
 * from `values`, as in the catalog.
 */
const element = document.getElementById("desk-words");
const table = element ? JSON.parse(element.textContent) : {};

export function word(text, values = {}) {
  const chosen = table[text] || text;
  return chosen.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}
