// The answer's UI words in the question's language (English or Chinese). Only words the
// page itself writes live here; answers, reasons and labels come from the service as they are.

const STRINGS = {
  en: {
    answer: "Answer",
    youAsked: "You asked: ",
    searching: "Searching the documents…",
    quoting: "Reading the best passages…",
    checking: "Checking that these passages answer the question…",
    writing: "Writing an answer…",
    fromDocuments: "From the documents",
    sources: "Sources",
    source: (n, title) => `Source ${n}: ${title}`,
    removed: (n) => (n === 1
      ? "1 sentence removed: not supported by its source"
      : `${n} sentences removed: not supported by their sources`),
    fallback: "No generated answer: ",
    noFallbackReason: "No generated answer could be shown.",
    stop: ".",
    refusalWhy: "Why: ",
    refusalHint: ["Try rephrasing the question, or ", "browse the documents", " to see what they cover."],
    understoodAs: "Understood as: ",
    stopped: "Stopped before the answer was complete.",
    noAnswer: "No answer. ",
    failed: "Something went wrong.",
    tryAgain: "Try again",
    good: "Good answer",
    bad: "Bad answer",
    thanks: "Thanks for the feedback.",
    comment: "Comment on this answer",
    whatWrong: "What was wrong or missing? (optional)",
    whatUseful: "What was useful? (optional)",
    send: "Send feedback",
    cancel: "Cancel",
    seconds: (s) => `${s} s`,
  },
  zh: {
    answer: "回答",
    youAsked: "你的问题：",
    searching: "正在检索文件…",
    quoting: "正在阅读最相关的段落…",
    checking: "正在核对这些段落是否回答了问题…",
    writing: "正在撰写回答…",
    fromDocuments: "文件原文",
    sources: "来源",
    source: (n, title) => `来源 ${n}：${title}`,
    removed: (n) => `已删除 ${n} 句：来源不支持其内容`,
    fallback: "未显示模型生成的回答：",
    noFallbackReason: "未能显示模型生成的回答。",
    stop: "。",
    refusalWhy: "原因：",
    refusalHint: ["可以换一种问法，或", "浏览文件", "看看其中涵盖哪些内容。"],
    understoodAs: "理解为：",
    stopped: "回答未完成即已停止。",
    noAnswer: "未能回答。",
    failed: "出了点问题。",
    tryAgain: "重试",
    good: "回答有用",
    bad: "回答没用",
    thanks: "感谢反馈。",
    comment: "对此回答的意见",
    whatWrong: "哪里有错或缺了什么？（可选）",
    whatUseful: "哪里有用？（可选）",
    send: "提交反馈",
    cancel: "取消",
    seconds: (s) => `${s} 秒`,
  },
};

/** The strings for "en" or "zh" (anything else reads as English). */
export function strings(language) {
  return STRINGS[language] || STRINGS.en;
}

/** The HTML lang attribute for a service language code. */
export function htmlLang(language) {
  return language === "zh" ? "zh-CN" : "en";
}
