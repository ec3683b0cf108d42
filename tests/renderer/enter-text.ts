import type { UserEvent } from '@testing-library/user-event';

// Typing re-renders the whole form once per character; on a loaded two-core machine a form test
// that types a few dozen characters takes seconds, all of it in React, none in what is tested.
// Where a test is about the value a field ends up with (not about keystrokes, length limits or
// what a key does), the value goes in the way a person pasting it would: a click into the field,
// then one paste, which fires the same input event the form listens to.

export async function enterText(user: UserEvent, field: HTMLElement, text: string): Promise<void> {
  await user.click(field);
  await user.paste(text);
}
