/**
 * Simplified Chinese first, English second: the office's staff read Chinese; English is the
 * switch for visitors and developers. The choice is kept in localStorage and set on <html lang>.
 */

export type Lang = 'zh' | 'en';
export interface Text {
  readonly zh: string;
  readonly en: string;
}

const STORAGE_KEY = 'bangong.lang';
let current: Lang = localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** A definition's or the API's `{ zh, en }` in the current language. */
export function txt(text: Text | string | undefined): string {
  if (text === undefined) return '';
  return typeof text === 'string' ? text : text[current] || text.zh;
}

/**
 * API and validation messages are written "中文。English." in one string; each language shows its
 * half. A message with no English half is shown whole.
 */
export function localize(message: string): string {
  const text = message.trim();
  // "中文。English." — or "中文 English" where the English half has no Chinese in it.
  const m = /^(.*?[\u3002\uff01\uff1f\uff09])\s*([A-Za-z0-9"'(].*)$/su.exec(text) ?? /^(.*[\u3000-\u9fff\uff00-\uffef])\s+([A-Za-z][^\u3000-\u9fff\uff00-\uffef]*)$/su.exec(text);
  if (!m) return message;
  return current === 'zh' ? m[1]! : m[2]!;
}

const messages = {
  appName: ['办公', 'Bangong'],
  appTagline: ['办公室公文与审批', 'Office documents and approvals'],
  skipToContent: ['跳到主要内容', 'Skip to main content'],
  navInbox: ['待办', 'To do'],
  navRead: ['待阅', 'To read'],
  navMessages: ['消息', 'Messages'],
  menu: ['菜单', 'Menu'],
  itemUnit: [' 项', ' items'],
  unreadUnit: [' 条未读', ' unread'],
  navDone: ['已办', 'Handled'],
  navMine: ['我的申请', 'My requests'],
  navNew: ['新建申请', 'New request'],
  navRegisters: ['登记簿', 'Registers'],
  navDashboard: ['超期督办', 'Overdue'],
  navArchive: ['档案', 'Archive'],
  mainNav: ['主导航', 'Main navigation'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['切换到英文', 'Switch to Chinese'],
  signOut: ['退出', 'Sign out'],
  switchUser: ['切换用户', 'Switch user'],
  signedInAs: ['当前用户', 'Signed in as'],
  loading: ['加载中…', 'Loading…'],
  retry: ['重试', 'Retry'],
  loadMore: ['加载更多', 'Load more'],
  cancel: ['取消', 'Cancel'],
  close: ['关闭', 'Close'],
  print: ['打印', 'Print'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
  none: ['无', 'None'],
  optional: ['（选填）', '(optional)'],
  required: ['必填', 'required'],
  // Sign-in
  loginTitle: ['登录', 'Sign in'],
  loginDevHint: ['本地演示环境：请选择一位示范单位的人员登录。', 'Local demo: sign in as one of the demo bureau’s people.'],
  loginAs: ['登录身份', 'Sign in as'],
  loginButton: ['登录', 'Sign in'],
  loginCognito: ['使用单位账号登录', 'Sign in with your office account'],
  loginCognitoHint: ['将跳转到统一身份认证页面。', 'You will be taken to the sign-in page.'],
  loginFailed: ['登录失败', 'Sign-in failed'],
  sessionExpired: ['登录已过期，请重新登录。', 'Your session has expired: please sign in again.'],
  // Inbox and lists
  inboxTitle: ['待办事项', 'Work to do'],
  inboxEmpty: ['暂无待办。', 'Nothing to do.'],
  readTitle: ['待阅事项', 'To read'],
  readHint: ['传阅、抄送给您的文件。阅后请点“已阅”，传阅人可看到谁已阅、谁未阅。', 'Documents circulated or copied to you. Mark each read: whoever sent it sees who has read it.'],
  readEmpty: ['暂无待阅文件。', 'Nothing to read.'],
  colFrom: ['送阅环节', 'Sent at'],
  markRead: ['已阅', 'Mark read'],
  markReadOf: ['将“{title}”标为已阅', 'Mark “{title}” read'],
  markedRead: ['已标为已阅：{title}', 'Marked read: {title}'],
  // Circulation (传阅/抄送)
  readersTitle: ['传阅与抄送', 'Circulated and copied'],
  readersSummary: ['已阅 {read}/{total}', 'Read {read} of {total}'],
  readersUnread: ['未阅：{names}', 'Not yet read: {names}'],
  readersAllRead: ['全部已阅', 'All have read it'],
  readerKind_circulate: ['传阅', 'circulated'],
  readerKind_copy: ['抄送', 'copied'],
  readAt: ['{at} 已阅', 'read {at}'],
  readerSentBy: ['{name} {at} 送阅', 'sent by {name} on {at}'],
  notReadYet: ['未阅', 'not read'],
  // The person and department picker
  pickerPlaceholderPeople: ['姓名或拼音首字母', 'Name or pinyin initials'],
  pickerPlaceholderDepartments: ['部门名称', 'Department name'],
  pickerBrowse: ['按部门浏览', 'Browse by department'],
  pickerShowAll: ['显示全部部门', 'Show all departments'],
  pickerNoDepartment: ['局领导及未分部门人员', 'Leaders and people with no department'],
  pickerMore: ['还有 {n} 项未列出，请输入更多文字缩小范围。', '{n} more not listed: type more to narrow it down.'],
  pickerInDepartment: ['{name}：{n} 人', '{name}: {n} people'],
  pickerDepartments: ['{n} 个部门，按 → 展开', '{n} departments: → to open one'],
  pickerFound: ['找到 {n} 项', '{n} found'],
  pickerNone: ['没有找到', 'Nothing found'],
  pickerPeopleCount: ['{n} 人', '{n} people'],
  pickerWholeSection: ['选择全科：{name}', 'The whole of {name}'],
  pickerBack: ['返回部门列表', 'Back to the departments'],
  pickerRemove: ['移除 {name}', 'Remove {name}'],
  pickerRemoved: ['已移除 {name}', '{name} removed'],
  pickerRemovedMany: ['已移除 {n} 人', '{n} removed'],
  pickerAdded: ['已选择 {name}', '{name} chosen'],
  pickerAddedMany: ['已选择 {n} 人', '{n} chosen'],
  pickerFull: ['最多选择 {max} 项。', 'At most {max}.'],
  // Messages
  messagesTitle: ['消息', 'Messages'],
  messagesEmpty: ['暂无消息。', 'No messages.'],
  messagesUnreadOnly: ['只看未读', 'Unread only'],
  messagesAll: ['全部消息', 'All messages'],
  markAllRead: ['全部标为已读', 'Mark all read'],
  markedAllRead: ['已全部标为已读。', 'All marked read.'],
  unread: ['未读', 'Unread'],
  messageKind_chase: ['催办', 'Chase'],
  messageKind_digest: ['汇总', 'Digest'],
  messageKind_info: ['通知', 'Notice'],
  colSelect: ['选择', 'Select'],
  colTitle: ['标题', 'Title'],
  colType: ['类别', 'Process'],
  colStep: ['当前环节', 'Current step'],
  colApplicant: ['申请人', 'Applicant'],
  colDue: ['办理期限', 'Due'],
  colStatus: ['状态', 'Status'],
  colNumber: ['编号', 'Number'],
  colCreated: ['提交时间', 'Submitted'],
  colSent: ['送阅人及时间', 'Sent by, when'],
  overdueDays: ['超期 {n} 天', '{n} d overdue'],
  overdueToday: ['已超期', 'Overdue'],
  dueSoon: ['即将到期', 'Due soon'],
  toRead: ['待阅', 'To read'],
  selectAll: ['全选可批量审批的事项', 'Select all that can be approved together'],
  selectCase: ['选择“{title}”', 'Select “{title}”'],
  batchApprove: ['批量同意（{n}）', 'Approve selected ({n})'],
  batchHint: ['勾选后可一次同意多件；需要填写办理意见的环节请逐件办理。', 'Tick items to approve several at once; steps that need entries are handled one by one.'],
  batchConfirm: ['确定同意所选的 {n} 件吗？', 'Approve the {n} selected items?'],
  batchDone: ['已同意 {ok} 件。', 'Approved {ok}.'],
  batchFailed: ['{n} 件未能办理：', '{n} could not be approved:'],
  batchChanged: ['已变更，请打开后办理', 'It has changed since you ticked it: open it to decide'],
  doneTitle: ['已办事项', 'Handled'],
  doneHint: ['您经手办理过的件（不含本人申请）。', 'Cases you have acted on, other than your own requests.'],
  mineTitle: ['我的申请', 'My requests'],
  listEmpty: ['暂无记录。', 'No records.'],
  filterStatus: ['状态', 'Status'],
  filterYear: ['年度', 'Year'],
  statusAll: ['全部', 'All'],
  status_open: ['办理中', 'In progress'],
  status_completed: ['已办结', 'Completed'],
  status_rejected: ['未通过', 'Rejected'],
  status_withdrawn: ['已撤回', 'Withdrawn'],
  // New request
  newTitle: ['新建申请', 'New request'],
  newChoose: ['请选择要办理的事项：', 'Choose what to request:'],
  newFavourites: ['常用', 'Most used'],
  newSearch: ['查找事项', 'Find a process'],
  newNoMatch: ['没有匹配的事项', 'No process matches'],
  newNothing: ['您目前没有可发起的事项。', 'There is nothing you may start.'],
  newMatches: ['找到 {n} 项', '{n} found'],
  previewTitle: ['办理流程', 'Who will sign'],
  previewDepends: ['视情况', 'depends'],
  previewFailed: ['暂时无法显示流程：{message}', 'The steps cannot be shown now: {message}'],
  newFormTitle: ['填写{name}', 'New {name}'],
  caseTitle: ['标题', 'Title'],
  caseTitleHelp: ['简要写明事由，最多 200 字。', 'A short subject, at most 200 characters.'],
  titleRequired: ['请填写标题。', 'Title is required.'],
  titleTooLong: ['标题最多 200 个字。', 'Title: at most 200 characters.'],
  chooseOne: ['请选择', 'Choose…'],
  submit: ['提交', 'Submit'],
  submitting: ['提交中…', 'Submitting…'],
  formHasErrors: ['表单有 {n} 处需要修改：', 'The form has {n} problem(s):'],
  draftRestored: ['已恢复上次未提交的草稿。', 'Your unsent draft was restored.'],
  draftSaved: ['草稿已自动保存在本机。', 'Draft saved on this device.'],
  discardDraft: ['清除草稿', 'Discard draft'],
  attachmentsStaged: ['附件（提交后上传）', 'Files (uploaded after submitting)'],
  unit_yuan: ['元', 'yuan'],
  // Case page
  caseNumber: ['编号', 'Number'],
  caseApplicant: ['申请人', 'Applicant'],
  caseCreated: ['提交时间', 'Submitted'],
  caseClosed: ['办结时间', 'Closed'],
  caseFiled: ['归档时间', 'Filed'],
  caseStatus: ['状态', 'Status'],
  caseFields: ['基本信息', 'Details'],
  caseProcess: ['流程', 'Process'],
  caseCurrentStep: ['当前环节', 'Current step'],
  caseAssignees: ['办理人', 'Handled by'],
  caseDue: ['办理期限', 'Due'],
  dueRule: ['期限规则', 'Rule'],
  dueStart: ['起算时间', 'Counted from'],
  dueSkipped: ['顺延（非工作日）', 'Days passed over'],
  dueExtension: ['已延期 {days} 天：{reason}（{by}）', 'Extended by {days} days: {reason} ({by})'],
  stepPassed: ['已完成', 'done'],
  stepCurrent: ['当前', 'current'],
  stepAhead: ['待办', 'ahead'],
  stepAuto: ['自动', 'automatic'],
  stepSkipped: ['不经过（已跳过）', 'not taken (skipped)'],
  stepWillSkip: ['不经过', 'not needed'],
  onBehalfOf: ['代 {name}', 'for {name}'],
  delegateOf: ['受托人 {name}', 'delegate {name}'],
  caseActions: ['办理', 'Your decision'],
  noActions: ['您目前无需办理此件。', 'Nothing for you to do on this case now.'],
  comment: ['意见', 'Opinion'],
  opinionsRow: ['常用意见', 'Usual opinions'],
  opinionsManage: ['管理常用意见', 'Manage usual opinions'],
  opinionsTitle: ['常用意见', 'Usual opinions'],
  opinionsHelp: ['点一下即可填入意见框；意见框为空时填入，已有文字时插入到光标处。最多 30 条，每条最多 200 字。', 'One click puts an opinion in the box: into an empty box, or at the cursor where there is text. At most 30, 200 characters each.'],
  opinionsDefault: ['以下是本岗位的常用意见，保存后即为您自己的。', 'These are the usual ones for your post; once saved they are your own.'],
  opinionItem: ['第 {n} 条', 'Opinion {n}'],
  opinionAdd: ['添加一条', 'Add one'],
  opinionUp: ['上移', 'Move up'],
  opinionDown: ['下移', 'Move down'],
  opinionDelete: ['删除', 'Delete'],
  opinionsSave: ['保存', 'Save'],
  opinionsSaved: ['常用意见已保存。', 'Your usual opinions are saved.'],
  opinionsNone: ['还没有常用意见。', 'No usual opinions yet.'],
  opinionsLoadFailed: ['暂时无法读取您的常用意见，请稍后再试：{message}', 'Your usual opinions cannot be read now; try again later: {message}'],
  opinionsMore: ['更多…（{n}）', 'More… ({n})'],
  opinionsFewer: ['收起', 'Fewer'],
  chasedAt: ['已催办 {at}', 'Chased {at}'],
  chaseLine: ['催办', 'Chase'],
  chaseThis: ['催办：{title}', 'Chase: {title}'],
  chaseCol: ['催办', 'Chase'],
  chaseMovedOn: ['此件已不在超期之列（已办理或转到下一环节），无需催办。', 'This case has moved on (handled, or at another step): nothing to chase.'],
  reason: ['理由', 'Reason'],
  reasonRequired: ['请填写理由。', 'A reason is required.'],
  returnTo: ['退回到', 'Return to'],
  returnToApplicant: ['申请人', 'The applicant'],
  returnToPrevious: ['上一环节', 'The previous step'],
  person: ['人员', 'Person'],
  pickFor_circulate: ['传阅给', 'Circulate to'],
  pickFor_copy: ['抄送给', 'Copy to'],
  'pickFor_add-signer': ['加签人', 'Signers to add'],
  pickFor_transfer: ['转办给', 'Transfer to'],
  pickFor_delegate: ['委托给', 'Delegate to'],
  people: ['人员（可多选）', 'People (several)'],
  position: ['加签位置', 'Where'],
  positionBefore: ['在我之前', 'Before me'],
  positionAfter: ['在我之后', 'After me'],
  choosePeople: ['请至少选择一人。', 'Choose at least one person.'],
  choosePerson: ['请选择人员。', 'Choose a person.'],
  actionDone: ['已办理。', 'Done.'],
  staleVersion: ['此件刚被他人更新，已重新加载，请核对后再办理。', 'Someone else just updated this case: it was reloaded, check it and try again.'],
  attachments: ['附件', 'Files'],
  noAttachments: ['暂无附件。', 'No files.'],
  preview: ['预览', 'Preview'],
  download: ['下载', 'Download'],
  previewOf: ['预览：{name}', 'Preview: {name}'],
  noPreview: ['此类文件无法在浏览器中预览，请下载查看。', 'This kind of file cannot be previewed: download it.'],
  uploadedBy: ['{name} 上传于 {at}', 'uploaded by {name} on {at}'],
  routingSlip: ['文件批办单', 'Routing slip'],
  printSlip: ['打印{name}', 'Print the slip'],
  autoActor: ['自动', 'Automatic'],
  approvalForm: ['{name}审批单', '{name} approval form'],
  slipRegisterNumber: ['收文编号', 'Register number'],
  slipRegisteredBy: ['登记：{name} {date}', 'Registered by {name} on {date}'],
  slipFiled: ['归档：{date}', 'Filed on {date}'],
  printHeader: ['{org}　{title}　{number}', '{org} · {title} · {number}'],
  printPage: ['第 {page} 页，共 {pages} 页', 'Page {page} of {pages}'],
  slipStep: ['环节', 'Step'],
  slipOpinion: ['意见', 'Opinion'],
  slipSigner: ['签名', 'Signed'],
  slipDate: ['日期', 'Date'],
  slipNoOpinion: ['（尚无意见）', '(no opinion yet)'],
  trail: ['流程日志', 'Trail'],
  trailEarlier: ['查看更早的记录', 'Show earlier entries'],
  caseNotFoundTitle: ['无法打开此件', 'This case cannot be opened'],
  caseNotFound: ['没有这个件，或者您无权查阅。', 'There is no such case, or you may not see it.'],
  caseNotFoundHelp: ['涉密文件仅限经办人和机要员查阅。如需查阅，请联系机要员。', 'Classified documents are seen only by the people handling them and the confidential clerk.'],
  backToInbox: ['返回待办', 'Back to the inbox'],
  // Uploads
  uploadTitle: ['上传扫描件', 'Upload scans'],
  dropHere: ['将扫描件拖到此处，或', 'Drop scans here, or'],
  chooseFiles: ['选择文件', 'choose files'],
  uploadTypes: ['支持 PDF、JPEG、PNG、TIFF、OFD，单个文件不超过 200 MB。', 'PDF, JPEG, PNG, TIFF or OFD, up to 200 MB each.'],
  uploadHashing: ['正在计算校验值…', 'Computing checksum…'],
  uploadSending: ['上传中…', 'Uploading…'],
  uploadVerifying: ['服务器校验中…', 'Verifying…'],
  uploadDone: ['已上传并通过校验', 'Uploaded and verified'],
  uploadFailed: ['上传失败：{message}', 'Upload failed: {message}'],
  uploadNetwork: ['网络中断', 'network error'],
  uploadWrongType: ['不支持此文件类型。', 'This kind of file is not accepted.'],
  uploadTooLarge: ['文件超过 200 MB。', 'The file is over 200 MB.'],
  uploadRemove: ['移除', 'Remove'],
  // Registers and dashboard
  registersTitle: ['登记簿', 'Registers'],
  registerChoose: ['选择登记簿', 'Choose a register'],
  department: ['部门', 'Department'],
  allDepartments: ['全部部门', 'All departments'],
  show: ['查询', 'Show'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  scrollHint: ['表格较宽，可左右滑动或用方向键查看其余各列。', 'This table is wide: scroll sideways (or use the arrow keys) to see the other columns.'],
  exportXlsx: ['导出 Excel', 'Export Excel'],
  notAvailable: ['此功能尚未开通（接口返回 404）。', 'This is not available yet (the API answered 404).'],
  loadFailed: ['加载失败：{message}', 'Could not load: {message}'],
  dashboardTitle: ['超期督办', 'Overdue work'],
  dashboardByDept: ['各部门超期件数', 'Overdue by department'],
  dashboardItems: ['超期事项', 'Overdue items'],
  dashboardEmpty: ['没有超期事项。', 'Nothing is overdue.'],
  daysOverdueCol: ['超期天数', 'Days overdue'],
  chases: ['催办次数', 'Chases'],
  statsTitle: ['月度考核', 'Monthly figures'],
  month: ['月份', 'Month'],
  statCompleted: ['办结', 'Completed'],
  statOnTime: ['及时率', 'On time'],
  statFirstPass: ['一次性通过率', 'First pass'],
  statOverdue: ['超期', 'Overdue'],
  statHours: ['平均办理时长（小时）', 'Average hours'],
  statsByPerson: ['按人员', 'By person'],
  // 全文检索 (search): the box in the header and the results page
  searchLabel: ['全文检索', 'Search'],
  searchPlaceholder: ['标题、文号、意见、附件文字', 'Title, number, opinion, file text'],
  searchButton: ['检索', 'Search'],
  searchShortcut: ['在页面任意处按“/”可直接输入检索词。', 'Press / anywhere on a page to type a search.'],
  searchEmptyQuery: ['请输入检索词。', 'Type something to search for.'],
  searchTitle: ['全文检索', 'Search'],
  searchHeading: ['“{q}”的检索结果', 'Results for “{q}”'],
  searchCount: ['找到 {n} 件', '{n} cases'],
  searchCountOne: ['找到 1 件', '1 case'],
  searchShown: ['已显示 {shown} 件，共 {total} 件', 'Showing {shown} of {total}'],
  searching: ['检索中…', 'Searching…'],
  searchFilters: ['筛选', 'Filters'],
  searchFiltersSet: ['筛选（已选 {n} 项）', 'Filters ({n} set)'],
  searchFiltersPrinted: ['筛选条件：{list}', 'Filters: {list}'],
  filterType: ['类别', 'Process'],
  typeAll: ['全部类别', 'All processes'],
  yearAll: ['全部年度', 'All years'],
  filterFrom: ['起始日期', 'Submitted from'],
  filterTo: ['截止日期', 'Submitted until'],
  sortBy: ['排序', 'Sort by'],
  sortRelevance: ['按相关度', 'Best match'],
  sortDate: ['按提交日期（新的在前）', 'Newest first'],
  clearFilters: ['清除筛选', 'Clear filters'],
  searchProblem: ['请修改检索条件：', 'Change the search:'],
  searchEmpty: ['没有找到与“{q}”相关的件。', 'Nothing found for “{q}”.'],
  searchTips: ['您可以：', 'You could:'],
  searchTipSpelling: ['检查检索词是否有错别字；', 'check the spelling;'],
  searchTipFewer: ['减少检索词，或换一种说法；', 'use fewer words, or other words;'],
  searchTipDates: ['放宽日期范围，或清除筛选条件。', 'widen the dates, or clear the filters.'],
  searchTruncated: ['符合条件的件太多，只列出前 {n} 件。请增加检索词或筛选条件，缩小范围。', 'Too many cases match: only the first {n} are listed. Add words or filters to narrow the search.'],
  searchWhere: ['命中位置', 'Where it matched'],
  searchOpinionBy: ['{name} {at}', '{name}, {at}'],
  searchOpenPage: ['打开预览', 'Open the preview'],
  // Text read from scans (文字识别)
  textPending: ['文字识别中…', 'Reading the text…'],
  textReady: ['已识别 {n} 页', 'Text read: {n} pages'],
  textReadyOne: ['已识别 1 页', 'Text read: 1 page'],
  textFailed: ['识别失败：{message}', 'Text not read: {message}'],
  textRetry: ['重新识别', 'Read again'],
  previewPage: ['预览：{name}（第 {page} 页）', 'Preview: {name}, page {page}'],
  // 档案: 四性检测 (DA/T 70), 移交, 断号报告 (DA/T 22) and the trail digests (日志存证)
  archiveTitle: ['档案检测与移交', 'Archive checks and handover'],
  archiveForbidden: ['此页面仅供档案员、办公室主任和管理员使用。', 'This page is for the archivist, the office director and the admin.'],
  archiveJobs: ['四性检测与移交', 'Four-properties checks and handovers'],
  archiveJobsOf: ['四性检测与移交（{year} 年度）', 'Four-properties checks and handovers, {year}'],
  archiveJobsHelp: ['四性检测逐件核对真实性、完整性、可用性和安全性（DA/T 70）；移交包只收通过检测的件。', 'The check tests each item for authenticity, integrity, usability and security (DA/T 70); the handover package takes only the items that pass.'],
  archiveRunCheck: ['运行四性检测', 'Run the four-properties check'],
  archiveRunHandover: ['生成移交包', 'Build the handover package'],
  archiveRequesting: ['提交中…', 'Requesting…'],
  archiveRequested: ['已提交{kind}（{year} 年度），完成后可查看结果。', '{kind} for {year} requested: the result shows here when it is done.'],
  archiveAlreadyRunning: ['{year} 年度已有{kind}在进行中，请等待其完成。', 'A {kind} for {year} is already under way: wait for it to finish.'],
  archiveJobDone: ['{kind}已完成。', '{kind} done.'],
  archiveJobFailed: ['{kind}失败。', '{kind} failed.'],
  archiveJobsEmpty: ['{year} 年度尚无检测或移交任务。', 'No checks or handovers for {year} yet.'],
  'jobKind_check-year': ['四性检测', 'Four-properties check'],
  jobKind_handover: ['移交包', 'Handover package'],
  jobState_queued: ['排队', 'Queued'],
  jobState_running: ['进行中', 'Running'],
  jobState_done: ['完成', 'Done'],
  jobState_failed: ['失败', 'Failed'],
  colJob: ['任务', 'Job'],
  colJobBy: ['发起人', 'Requested by'],
  colJobAt: ['发起时间', 'Requested'],
  colJobState: ['状态', 'State'],
  colJobResult: ['结果', 'Result'],
  colJobActions: ['操作', 'Actions'],
  jobProgress: ['已检测 {done}/{total}', '{done} of {total} checked'],
  jobSummary: ['共 {items} 件：通过 {passed}，不通过 {failed}', '{items} items: {passed} passed, {failed} failed'],
  jobPackage: ['{files} 个文件，{mb} MB', '{files} files, {mb} MB'],
  openReport: ['查看报告', 'Open the report'],
  openReportOf: ['查看报告：{kind}（{at}）', 'Open the report: {kind} ({at})'],
  downloadPackage: ['下载移交包', 'Download the package'],
  downloadPackageOf: ['下载移交包（{at}）', 'Download the package ({at})'],
  exportXlsxFile: ['导出 XLSX', 'Export XLSX'],
  reportTitle: ['四性检测报告（{year} 年度，{date}）', 'Four-properties check report, {year} ({date})'],
  reportMeta: ['{by}于 {at} 发起，{trigger}', 'Run by {by} on {at}, {trigger}'],
  trigger_filing: ['归档时检测', 'at filing'],
  'trigger_on-demand': ['按需检测', 'on demand'],
  trigger_handover: ['移交前检测', 'before a handover'],
  reportOverall: ['共 {items} 件：通过 {passed} 件，不通过 {failed} 件。', '{items} items: {passed} passed, {failed} failed.'],
  reportByProperty: ['按检测项汇总', 'By property'],
  reportChecksPassed: ['通过', 'Passed'],
  reportChecksFailed: ['不通过', 'Failed'],
  reportSequences: ['年度检测（编号连续性）', 'Year checks (numbers continuous)'],
  reportSequencesEmpty: ['本年度没有需要检测的编号。', 'No numbers to check this year.'],
  reportItems: ['逐件检测结果', 'Items'],
  reportItemsEmpty: ['本年度没有在库的归档文件。', 'No filed items kept for this year.'],
  reportPartial: ['共 {total} 件，此处列出前 {shown} 件（未通过的在前）；全部见导出的 XLSX。', '{total} items; the first {shown} are listed here (failed first); the XLSX holds them all.'],
  reportNoneFailed: ['没有不通过的件。', 'No item failed.'],
  onlyFailed: ['只看不通过', 'Failed only'],
  property_authenticity: ['真实性', 'Authenticity'],
  property_integrity: ['完整性', 'Integrity'],
  property_usability: ['可用性', 'Usability'],
  property_security: ['安全性', 'Security'],
  checkPassed: ['通过', 'Passed'],
  checkFailed: ['不通过', 'Failed'],
  itemFailedChecks: ['{n} 项不通过', 'failed checks: {n}'],
  itemAllPassed: ['全部通过', 'All passed'],
  colProperty: ['检测项', 'Property'],
  colCheck: ['检测内容', 'Check'],
  colFile: ['文件', 'File'],
  colResult: ['结果', 'Result'],
  colWhy: ['说明', 'Why'],
  checkOneTitle: ['检测单件', 'Check one item'],
  checkOneHelp: ['输入档号，立即检测该件并记录结果（不通过的件将移出目录）。', 'Type an item number to check it now; the outcome is recorded (a failed item leaves the catalogue).'],
  archiveNumber: ['档号', 'Item number'],
  archiveNumberRequired: ['请输入档号。', 'Type an item number.'],
  checkOneButton: ['检测', 'Check'],
  checking: ['检测中…', 'Checking…'],
  gapsTitle: ['断号报告', 'Number gaps'],
  gapsHelp: ['各编号序列已编的号、作废的号和断号（既未使用也未登记作废的号）。', 'For each number sequence: the numbers given, those voided, and the gaps (neither used nor recorded void).'],
  gapsShow: ['查看断号报告', 'Show the number gaps'],
  gapsReportTitle: ['断号报告（{year} 年度）', 'Number gaps, {year}'],
  gapsEmpty: ['{year} 年度没有编号。', 'No numbers were given in {year}.'],
  gapsTotal: ['共 {sequences} 个编号序列：断号 {gaps} 个，作废 {voids} 个。', '{sequences} sequences: {gaps} missing, {voids} voided.'],
  colSequence: ['编号序列', 'Sequence'],
  colRange: ['已编范围', 'Range'],
  colUsed: ['已用', 'Used'],
  colVoided: ['作废', 'Voided'],
  colMissing: ['断号', 'Missing'],
  gapsMissing: ['断号：{list}', 'Missing: {list}'],
  gapsVoids: ['作废的号', 'Voided numbers'],
  colNumberShort: ['编号', 'Number'],
  colVoidReason: ['原因', 'Reason'],
  colVoidBy: ['作废人', 'Voided by'],
  colVoidAt: ['作废时间', 'When'],
  systemActor: ['系统', 'The system'],
  trailCheckTitle: ['日志存证核验', 'Trail digest check'],
  trailCheckHelp: ['逐日核对每日存证摘要是否齐全、前后衔接，以及摘要所记各件流程日志的校验链。一次最多 31 天。', 'Checks that each day’s digest is there and chained to the one before, and verifies the trail of every case it names. At most 31 days at a time.'],
  dateFrom: ['开始日期', 'From'],
  dateTo: ['结束日期', 'To'],
  trailCheckRun: ['核验', 'Check'],
  trailCheckRunning: ['核验中…', 'Checking…'],
  dateRequired: ['请选择日期。', 'Choose a date.'],
  dateOrder: ['结束日期须不早于开始日期。', 'The end must not be before the start.'],
  dateSpan: ['一次最多核验 31 天。', 'At most 31 days at a time.'],
  colDay: ['日期', 'Day'],
  colDigest: ['存证摘要', 'Digest'],
  colChained: ['与前一日衔接', 'Chained to the day before'],
  colCases: ['案件数', 'Cases'],
  colBroken: ['不符', 'Broken'],
  digestPresent: ['有', 'Written'],
  digestMissing: ['无', 'Missing'],
  chainedYes: ['是', 'Yes'],
  chainedNo: ['否（前一日摘要不符）', 'No (the day before does not match)'],
  trailChecked: ['共核验 {checked} 件，{broken} 件不符。', '{checked} cases checked, {broken} do not verify.'],
  trailBroken: ['不符的案件', 'Cases that do not verify'],
  trailBrokenEntry: ['（第 {n} 条）', ' (entry {n})'],
  trailStopped: ['核验超过单次时限，已停在 {next} 之前。', 'The check ran out of time before {next}.'],
  trailContinue: ['从 {next} 继续核验', 'Continue from {next}'],
  verifyTrail: ['核验流程日志', 'Verify the trail'],
  verifyingTrail: ['核验中…', 'Verifying…'],
  verifyPassed: ['通过（{n} 条，已与 {day} 存证摘要核对）', 'Verified ({n} entries, checked against the digest of {day})'],
  verifyPassedNoDigest: ['通过（{n} 条；尚无存证摘要可供核对）', 'Verified ({n} entries; no daily digest to check against yet)'],
  verifyFailed: ['不通过：{message}', 'Does not verify: {message}'],
  verifyFailedAt: ['（第 {n} 条：{action}，{at}）', ' (entry {n}: {action}, {at})'],
  // Errors
  errorGeneric: ['出错了：{message}', 'Something went wrong: {message}'],
  errorNetwork: ['无法连接服务器，请检查网络后重试。', 'Cannot reach the server: check the network and try again.'],
  pageNotFound: ['页面不存在', 'Page not found'],
  pageNotFoundHelp: ['地址“{path}”没有对应的页面，可能是链接有误或页面已移动。', 'There is no page at “{path}”: the link may be wrong or the page may have moved.'],
} satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof messages;

/** A UI message in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = messages[key][current === 'zh' ? 0 : 1];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** A UI message in both languages, for what takes a `Text` (a field's label). */
export function textOf(key: MessageKey): Text {
  return { zh: messages[key][0], en: messages[key][1] };
}

/** Action names as the office says them. */
const actionNames: Record<string, readonly [string, string]> = {
  open: ['提交', 'Submitted'],
  submit: ['提交', 'Submitted'],
  create: ['提交', 'Submitted'],
  approve: ['同意', 'Approve'],
  reject: ['不同意', 'Reject'],
  return: ['退回', 'Return'],
  withdraw: ['撤回', 'Withdraw'],
  resubmit: ['重新提交', 'Resubmit'],
  transfer: ['转办', 'Transfer'],
  delegate: ['委托', 'Delegate'],
  'add-signer': ['加签', 'Add a signer'],
  'add-signer-before': ['加签（前）', 'Signer added before'],
  'add-signer-after': ['加签（后）', 'Signer added after'],
  circulate: ['传阅', 'Circulate'],
  copy: ['抄送', 'Copy to'],
  comment: ['留言', 'Comment'],
  extend: ['延期', 'Extend'],
  'mark-read': ['已阅', 'Mark read'],
  read: ['已阅', 'Read'],
  attach: ['上传附件', 'Attached a file'],
  download: ['下载附件', 'Downloaded a file'],
  enter: ['进入环节', 'Step entered'],
  skip: ['跳过', 'Skipped'],
  complete: ['办结', 'Completed'],
  file: ['归档', 'Filed'],
  number: ['编号', 'Numbered'],
  notify: ['通知', 'Notified'],
  remind: ['催办', 'Chased'],
  chase: ['催办', 'Chase'],
  'remind-before': ['到期提醒', 'Reminder before due'],
  escalate: ['督办上报', 'Escalated'],
  fallback: ['改由上级办理', 'Passed to the superior'],
  'auto-approve': ['超期自动同意', 'Approved at the deadline'],
  'auto-reject': ['超期自动驳回', 'Rejected at the deadline'],
};

export function actionName(action: string): string {
  const names = actionNames[action];
  return names ? names[current === 'zh' ? 0 : 1] : action;
}

/** "：" after a label in Chinese, ": " in English. */
export function colon(): string {
  return current === 'zh' ? '：' : ': ';
}

/** Between items of a list on one line: "；" in Chinese, "; " in English. */
export function listSeparator(): string {
  return current === 'zh' ? '；' : '; ';
}

/**
 * Dates are written in Beijing time, which is UTC+8 all year (China has kept no summer time since
 * 1991): worked out by arithmetic, not Intl.DateTimeFormat, whose first use loads the locale's and
 * the time zone's data — a third of a second on an old office PC, before the inbox's first rows.
 */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The parts of a moment as a clock in Beijing shows them; undefined when it is no date. */
function beijing(iso: string | number): { y: number; mo: number; d: number; h: number; mi: number } | undefined {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const b = new Date(t + BEIJING_OFFSET_MS);
  return { y: b.getUTCFullYear(), mo: b.getUTCMonth() + 1, d: b.getUTCDate(), h: b.getUTCHours(), mi: b.getUTCMinutes() };
}

/** Dates and times in Beijing time, as the office reads them: 2026/11/27 10:05, 27/11/2026, 10:05. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const p = beijing(iso);
  if (!p) return iso;
  const time = `${pad(p.h)}:${pad(p.mi)}`;
  return current === 'zh' ? `${p.y}/${pad(p.mo)}/${pad(p.d)} ${time}` : `${pad(p.d)}/${pad(p.mo)}/${p.y}, ${time}`;
}

/** A time of day in Beijing time (10:05), for what happened today. */
export function formatTime(iso: string | number): string {
  const p = beijing(iso);
  return p ? `${pad(p.h)}:${pad(p.mi)}` : String(iso);
}

/** A day as said in a sentence: 11月26日, 26 November. */
export function formatDayMonth(iso: string | undefined): string {
  if (!iso) return '';
  const p = beijing(iso);
  if (!p) return iso;
  return current === 'zh' ? `${p.mo}月${p.d}日` : `${p.d} ${MONTHS_EN[p.mo - 1]}`;
}

/** A day in Beijing time, 2026-11-27. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const p = beijing(iso);
  if (!p) return iso;
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
