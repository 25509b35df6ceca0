/** One message of a conversation sent to a model; the content is plain text. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
