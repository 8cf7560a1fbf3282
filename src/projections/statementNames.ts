/**
 * Names statements by their text, `prefix-1`, `prefix-2`, …: a named statement is prepared
 * once per connection and reused, and one name never stands for two texts (pg refuses that).
 * For a bounded set of texts only: each stays prepared on every connection that ran it.
 */
export const statementNamer = (prefix: string): ((text: string) => string) => {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `${prefix}-${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
};
