/**
 * SET clauses that make a message the dialog's last one unless a later one arrived before it
 * (`$at` is its arrival time; right-hand sides see the row as it was before the UPDATE).
 */
export const lastMessage = (at: string, values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(
      ([column, value]) =>
        `last_message_${column} = CASE WHEN last_message_at IS NULL OR ${at} >= last_message_at
                                  THEN ${value} ELSE last_message_${column} END`,
    )
    .join(',\n');
