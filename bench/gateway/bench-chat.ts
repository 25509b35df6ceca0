/**
 * What every target of the gateway benchmark serves: the upstream model, its fixed reply, the Switchyard
 * feature in front of it, and the one request body all three targets receive, byte for byte.
 */
export const benchChat = {
  model: 'bench-model',
  reply: 'A short, kind reply.',
  feature: 'bench-chat',
  /** The Switchyard provider name of the fake upstream. */
  provider: 'fake',
  /** A small chat completion; Switchyard reads the feature from its header, so the body can stay the same. */
  body: JSON.stringify({
    model: 'bench-model',
    messages: [{ role: 'user', content: 'How do I stay motivated to run?' }],
  }),
} as const;
