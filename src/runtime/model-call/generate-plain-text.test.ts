import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './chat-message.js';
import { generatePlainText } from './generate-plain-text.js';
import { useFakeUpstream } from './upstream-harness.case.js';

const startModels = {
  openai: useFakeUpstream('openai'),
  'openai-compatible': useFakeUpstream('openai-compatible'),
};

const conversation: ChatMessage[] = [
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello, how can I help?' },
  { role: 'system', content: 'Now answer in French.' },
  { role: 'user', content: 'How are you?' },
];

describe.each(['openai', 'openai-compatible'] as const)('generatePlainText (%s provider)', (type) => {
  it('sends what generateText sends and reads the same reply', async () => {
    const { model, requests } = await startModels[type]({ reply: 'Très bien, merci.' });
    const settings = { temperature: 0.4, topP: 0.8, maxOutputTokens: 120 };
    const viaGenerateText = await generateText({
      model,
      system: 'Be brief.',
      messages: conversation,
      allowSystemInMessages: true,
      maxRetries: 0,
      ...settings,
    });
    const direct = await generatePlainText({
      model,
      system: 'Be brief.',
      messages: conversation,
      abortSignal: undefined,
      ...settings,
    });
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual(requests[0]);
    expect(direct).toEqual({
      text: viaGenerateText.text,
      usage: {
        inputTokens: viaGenerateText.usage.inputTokens,
        outputTokens: viaGenerateText.usage.outputTokens,
      },
      finishReason: viaGenerateText.finishReason,
      headers: expect.objectContaining({
        'content-type': viaGenerateText.response.headers?.['content-type'],
      }),
    });
    expect(direct.text).toBe('Très bien, merci.');
    expect(direct.usage.outputTokens).toBeGreaterThan(0);
  });

  it('sends no system message when there is none, and stops on abort', async () => {
    const { model, requests, upstream } = await startModels[type]({ reply: 'Hello.' });
    const request = (abortSignal: AbortSignal | undefined) =>
      generatePlainText({
        model,
        system: undefined,
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: undefined,
        topP: undefined,
        maxOutputTokens: undefined,
        abortSignal,
      });
    expect((await request(undefined)).text).toBe('Hello.');
    expect(requests[0]?.messages.map((message) => message.role)).toEqual(['user']);
    upstream.setModel('gpt-fake', { faults: { timeoutRate: 1 } });
    const failure = await request(AbortSignal.timeout(50)).catch((error: unknown) => error);
    expect((failure as Error).name).toBe('TimeoutError');
  });
});
