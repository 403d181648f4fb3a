/**
 * Token counts for calls whose server reported none (several OpenAI-compatible proxies leave out
 * `usage`; Ollama leaves out `prompt_eval_count` when the whole prompt came from its cache).
 * Without them `--max-tokens` and `--max-cost` would never trip, so hive counts the tokens itself
 * with js-tiktoken (a maintained pure-JS port of OpenAI's tiktoken) and marks the call's counts as
 * estimated (`votes.tokens_estimated`, reports).
 *
 * Why cl100k_base is close enough: it is the vocabulary Llama 3's tokenizer extends (its 100k
 * tokens plus 28k more), and Qwen's and DeepSeek's byte-level BPEs are of the same size and family,
 * so on English prose their counts stay within about a tenth of one another; SentencePiece models
 * with small vocabularies (Mistral 7B, Gemma 2B) spend more tokens per word, up to about a fifth.
 * A budget is a kill switch that stops a run once it has spent about so much, not an invoice:
 * that error is well inside what it needs. Chat formatting is counted the way OpenAI documents it
 * (about 3 tokens a message, 3 for the reply).
 *
 * The ranks are loaded lazily, only when a server first reports no usage: building the encoder
 * takes seconds on a small machine, which no run against a server that reports usage should pay.
 */
import type { Tiktoken } from 'js-tiktoken/lite';
import type { ChatModel, ChatRequest, ChatResult } from './chat.js';

const PER_MESSAGE = 3;
const PER_REPLY = 3;

let encoder: Promise<Tiktoken> | undefined;

function tokenizer(): Promise<Tiktoken> {
  encoder ??= (async () => {
    const [{ Tiktoken: Encoder }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
    return new Encoder(ranks.default);
  })();
  return encoder;
}

/**
 * Tokens of `text` under cl100k_base. Special-token strings ("<|endoftext|>") in untrusted text
 * are counted as ordinary text, never refused.
 */
export async function countTokens(text: string): Promise<number> {
  if (text === '') return 0;
  return (await tokenizer()).encode(text, [], []).length;
}

/** Estimated prompt tokens of a request: every message's content plus the chat format's overhead. */
export async function estimatePromptTokens(req: Pick<ChatRequest, 'messages'>): Promise<number> {
  let n = PER_REPLY;
  for (const m of req.messages) n += PER_MESSAGE + (await countTokens(m.content));
  return n;
}

/** Estimated answer tokens: what the model wrote, its reasoning included (it spent those too). */
async function estimateCompletionTokens(res: Pick<ChatResult, 'text' | 'reasoning'>): Promise<number> {
  return (await countTokens(res.text)) + (await countTokens(res.reasoning ?? ''));
}

/** The result with every count the server left out estimated, and marked so. */
export async function withEstimates(req: Pick<ChatRequest, 'messages'>, res: ChatResult): Promise<ChatResult> {
  if (!res.unreported || (!res.unreported.prompt && !res.unreported.completion)) return res;
  return {
    ...res,
    promptTokens: res.unreported.prompt ? await estimatePromptTokens(req) : res.promptTokens,
    completionTokens: res.unreported.completion ? await estimateCompletionTokens(res) : res.completionTokens,
    tokensEstimated: true,
  };
}

/** A model whose results always carry counts: the server's, else hive's estimate. */
export function withTokenEstimates(model: ChatModel): ChatModel {
  return {
    id: model.id,
    provider: model.provider,
    model: model.model,
    hosts: model.hosts,
    chat: async (req, signal) => withEstimates(req, await model.chat(req, signal)),
  };
}
