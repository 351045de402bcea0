// What the desktop shell says outside the page — notifications, the tray, the application menu —
// in the language the person chose (the same `language` setting the renderer follows). The
// renderer's dictionaries live in the page; these few sentences are the main process's own.
// `{name}` is filled from the parameters; `{count:one|other}` picks a branch by count (`#` is it).
import type { LanguageSetting } from '../shared/settings'

export type MainLang = 'en' | 'zh-CN'

export const MAIN_LANGS: readonly MainLang[] = ['en', 'zh-CN']

const en = {
  // Notifications: one job
  'notify.videoReady': 'Video ready — {model}',
  'notify.videoFailed': 'Video failed — {model}',
  'notify.videoNeedsYou': 'A video needs your decision — {model}',
  // Notifications: a batch
  'notify.batchDone': 'Batch finished',
  'notify.batchReady': '{count:1 video ready|# videos ready}',
  'notify.batchFailed': '{count} failed',
  'notify.batchWaiting': '{count:1 needs your decision|# need your decision}',
  'notify.batchCanceled': '{count} canceled',
  'notify.listSeparator': ', ',
  'notify.decisions': '{count:A video needs your decision|# videos need your decision}',
  'notify.decisionsBody': 'Open the queue to choose what happens next.',
  'notify.held': 'Spending held at your daily cap',
  'notify.heldBody': '{count:A video waits for your OK before it is sent.|# videos wait for your OK before they are sent.}',
  // The window and quitting
  'notify.keptInTray': 'Still working in the background',
  'notify.keptInTrayBody': '{count:A video is still being made|# videos are still being made}. Comet Video Studio keeps working from the tray; open it there to see them.',
  'notify.resumeNextTime': 'Your videos will resume next time',
  'notify.resumeNextTimeBody': '{count:A video was still being made|# videos were still being made}. Nothing is lost or sent again: {count:it continues|they continue} when you open Comet Video Studio.',
  // The tray
  'tray.tooltip': 'Comet Video Studio',
  'tray.active': '{count:1 video in progress|# videos in progress}',
  'tray.idle': 'Nothing in progress',
  'tray.paused': 'New videos paused',
  'tray.show': 'Show Window',
  'tray.pauseAll': 'Pause All',
  'tray.resume': 'Resume',
  'tray.quit': 'Quit Comet Video Studio',
  // The application menu: its own commands
  'menu.file': 'File',
  'menu.edit': 'Edit',
  'menu.view': 'View',
  'menu.window': 'Window',
  'menu.help': 'Help',
  'menu.newVideo': 'New Video',
  'menu.newBatch': 'New Batch',
  'menu.compare': 'Compare Models',
  'menu.queue': 'Queue',
  'menu.library': 'Library',
  'menu.spend': 'Spend',
  'menu.settings': 'Settings…',
  'menu.pauseAll': 'Pause All',
  'menu.resume': 'Resume',
  'menu.openLibraryFolder': 'Open Library Folder',
  'menu.shortcuts': 'Keyboard Shortcuts',
  'menu.apiDocs': 'CometAPI Video Documentation',
  'menu.keyConsole': 'Manage CometAPI Keys',
  'menu.checkForUpdates': 'Check for Updates…',
  // The application menu: the standard roles
  'role.about': 'About Comet Video Studio',
  'role.services': 'Services',
  'role.hide': 'Hide Comet Video Studio',
  'role.hideOthers': 'Hide Others',
  'role.unhide': 'Show All',
  'role.quit': 'Quit Comet Video Studio',
  'role.undo': 'Undo',
  'role.redo': 'Redo',
  'role.cut': 'Cut',
  'role.copy': 'Copy',
  'role.paste': 'Paste',
  'role.pasteAndMatchStyle': 'Paste and Match Style',
  'role.delete': 'Delete',
  'role.selectAll': 'Select All',
  'role.reload': 'Reload',
  'role.forceReload': 'Force Reload',
  'role.toggleDevTools': 'Toggle Developer Tools',
  'role.resetZoom': 'Actual Size',
  'role.zoomIn': 'Zoom In',
  'role.zoomOut': 'Zoom Out',
  'role.togglefullscreen': 'Toggle Full Screen',
  'role.minimize': 'Minimize',
  'role.zoom': 'Zoom',
  'role.close': 'Close Window',
  'role.front': 'Bring All to Front'
} as const

export type MainTextKey = keyof typeof en

const zhCN: Record<MainTextKey, string> = {
  'notify.videoReady': '视频已就绪 — {model}',
  'notify.videoFailed': '视频生成失败 — {model}',
  'notify.videoNeedsYou': '有个视频需要你决定 — {model}',
  'notify.batchDone': '批量任务已结束',
  'notify.batchReady': '{count} 个视频已就绪',
  'notify.batchFailed': '{count} 个失败',
  'notify.batchWaiting': '{count} 个需要你决定',
  'notify.batchCanceled': '{count} 个已取消',
  'notify.listSeparator': '，',
  'notify.decisions': '{count} 个视频需要你决定',
  'notify.decisionsBody': '打开队列，决定接下来怎么做。',
  'notify.held': '已按每日花费上限暂停发送',
  'notify.heldBody': '{count} 个视频等你确认后才会发送。',
  'notify.keptInTray': '仍在后台工作',
  'notify.keptInTrayBody': '{count} 个视频仍在制作中。Comet Video Studio 会在托盘中继续工作，可从托盘打开查看。',
  'notify.resumeNextTime': '下次打开时会继续你的视频',
  'notify.resumeNextTimeBody': '有 {count} 个视频仍在制作中。不会丢失，也不会重复发送：下次打开 Comet Video Studio 时会继续。',
  'tray.tooltip': 'Comet Video Studio',
  'tray.active': '{count} 个视频进行中',
  'tray.idle': '没有进行中的视频',
  'tray.paused': '已暂停发送新视频',
  'tray.show': '显示窗口',
  'tray.pauseAll': '全部暂停',
  'tray.resume': '继续',
  'tray.quit': '退出 Comet Video Studio',
  'menu.file': '文件',
  'menu.edit': '编辑',
  'menu.view': '视图',
  'menu.window': '窗口',
  'menu.help': '帮助',
  'menu.newVideo': '新建视频',
  'menu.newBatch': '新建批量任务',
  'menu.compare': '对比模型',
  'menu.queue': '队列',
  'menu.library': '视频库',
  'menu.spend': '费用',
  'menu.settings': '设置…',
  'menu.pauseAll': '全部暂停',
  'menu.resume': '继续',
  'menu.openLibraryFolder': '打开视频库文件夹',
  'menu.shortcuts': '键盘快捷键',
  'menu.apiDocs': 'CometAPI 视频接口文档',
  'menu.keyConsole': '管理 CometAPI 密钥',
  'menu.checkForUpdates': '检查更新…',
  'role.about': '关于 Comet Video Studio',
  'role.services': '服务',
  'role.hide': '隐藏 Comet Video Studio',
  'role.hideOthers': '隐藏其他',
  'role.unhide': '全部显示',
  'role.quit': '退出 Comet Video Studio',
  'role.undo': '撤销',
  'role.redo': '重做',
  'role.cut': '剪切',
  'role.copy': '复制',
  'role.paste': '粘贴',
  'role.pasteAndMatchStyle': '粘贴并匹配样式',
  'role.delete': '删除',
  'role.selectAll': '全选',
  'role.reload': '重新加载',
  'role.forceReload': '强制重新加载',
  'role.toggleDevTools': '开发者工具',
  'role.resetZoom': '实际大小',
  'role.zoomIn': '放大',
  'role.zoomOut': '缩小',
  'role.togglefullscreen': '切换全屏',
  'role.minimize': '最小化',
  'role.zoom': '缩放',
  'role.close': '关闭窗口',
  'role.front': '全部置于顶层'
}

export const MAIN_TEXTS: Record<MainLang, Record<MainTextKey, string>> = { en, 'zh-CN': zhCN }

/** The language to speak: the setting when it names one, else the system's (Chinese variants → 简体中文), as the renderer decides. */
export function mainLanguage(setting: LanguageSetting | null | undefined, systemLocale: string | null | undefined): MainLang {
  if (setting === 'en' || setting === 'zh-CN') return setting
  const loc = (systemLocale ?? '').toLowerCase()
  return loc === 'zh' || loc.startsWith('zh-') || loc.startsWith('zh_') ? 'zh-CN' : 'en'
}

/** The sentence `key` in `lang`, its placeholders filled. */
export function say(lang: MainLang, key: MainTextKey, params: Record<string, string | number> = {}): string {
  const text = MAIN_TEXTS[lang][key] ?? en[key]
  const plural = text.replace(/\{(\w+):([^{}|]*)\|([^{}|]*)\}/g, (whole, name: string, one: string, other: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return (Number(value) === 1 ? one : other).replace(/#/g, String(value))
  })
  return plural.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])))
}

/** The placeholders a sentence uses (a plural's name counts), for the dictionary test. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)(?::[^{}]*)?\}/g)].map((m) => m[1]))].sort()
}
