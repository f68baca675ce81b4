// The respondent page (views/survey.hbs): renders the SurveyJS questionnaire (rating questions
// as one line of buttons, server/respondent/rating_layout.ts) and keeps every answer:
// - each answer is saved as it is given (debounced, at most one request a second, retried with
//   growing waits), with the page the respondent is on, so a reload or another device resumes
//   there with every answer; the browser keeps nothing (no localStorage, no cookie);
// - a save that fails is announced at the top of the viewport until a save succeeds;
// - a closed wave (or a link used up meanwhile) stops the page before more is answered;
// - skipping a whole page asks once whether to continue;
// - focus moves to the first question of each new page.
// "Not applicable / don't know" (the value "none") is sent as null, a skipped item not at all.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('seici-config').textContent);
  var t = config.texts;
  var statusLine = document.getElementById('save-status');
  var alertBox = document.getElementById('save-alert');
  var locale = config.locale;
  var NOT_APPLICABLE = 'none';
  var SPACING_MS = 1100; // at most one save request a second (with a margin for the network's own delays)
  var DEBOUNCE_MS = 400; // wait this long after an answer for the next one
  var MAX_BACKOFF_MS = 30000;

  // Rating buttons: the scale point's number on the button, "<n> – <anchor label>" for screen
  // readers (SurveyJS gives every button the question's title only), "not applicable" set apart
  // by its class, and a click on the chosen button keeps the answer instead of clearing it.
  var h = SurveyUI.createElement;
  class SeiciRatingItem extends SurveyUI.RatingItem {
    render() {
      var question = this.question;
      var item = this.item;
      var notApplicable = item.value === NOT_APPLICABLE;
      var choose = function (event) {
        // A stopped page (display mode) takes no answer: not even the radio's own check mark.
        if (question.isReadOnly) return event.preventDefault();
        if (question.value !== item.value) question.value = item.value;
      };
      return h(
        'label',
        { className: item.className + (notApplicable ? ' seici-na' : ''), onMouseDown: this.handleOnMouseDown },
        h('input', {
          type: 'radio',
          className: 'sv-visuallyhidden',
          name: question.questionName,
          id: question.getInputId(this.index),
          value: item.value,
          disabled: question.isDisabledAttr,
          readOnly: question.isReadOnlyAttr,
          checked: question.value == item.value,
          onClick: choose,
          onChange: function () {},
          'aria-label': notApplicable ? item.text : item.value + ' – ' + item.text,
        }),
        h('span', { className: question.cssClasses.itemText, 'aria-hidden': 'true' }, notApplicable ? item.text : String(item.value)),
      );
    }
  }
  SurveyUI.ReactElementFactory.Instance.registerElement('sv-rating-item', function (props) {
    return h(SeiciRatingItem, props);
  });

  var survey = new Survey.Model(config.survey);
  survey.locale = locale;
  survey.data = config.answers;

  // Resume: at the page saved with the answers, else at the first page with an open question.
  function firstOpenPage() {
    var pages = survey.visiblePages;
    for (var p = 0; p < pages.length; p++) {
      if (pages[p].questions.some(function (q) { return q.isVisible && survey.data[q.name] === undefined; })) return pages[p];
    }
    return pages[pages.length - 1];
  }
  var resumeAt = config.page ? survey.getPageByName(config.page) : null;
  if (resumeAt && resumeAt.isVisible) survey.currentPage = resumeAt;
  else if (Object.keys(config.answers).length > 0) survey.currentPage = firstOpenPage();

  function answersOf(data) {
    var answers = {};
    Object.keys(data).forEach(function (id) {
      var v = data[id];
      answers[id] = v === NOT_APPLICABLE || v === undefined ? null : v;
    });
    return answers;
  }

  // ---- Notices -------------------------------------------------------------------------
  function status(text) {
    statusLine.textContent = text;
  }
  function alertTop(text, kind) {
    alertBox.textContent = text;
    alertBox.className = 'save-alert save-alert--' + kind;
    alertBox.hidden = false;
  }
  function clearAlert() {
    if (alertBox.className.indexOf('save-alert--stopped') >= 0) return;
    alertBox.hidden = true;
    alertBox.textContent = '';
  }

  // ---- Saving --------------------------------------------------------------------------
  var saver = { dirty: false, inFlight: false, lastSent: 0, timer: null, failures: 0, stopped: false, submitted: false };

  function post(complete, keepalive) {
    var body = { token: config.token, answers: answersOf(survey.data), complete: complete, locale: locale };
    if (!complete && survey.currentPage) body.page = survey.currentPage.name;
    return fetch(config.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive: !!keepalive,
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw Object.assign(new Error(json.error || ''), { status: res.status });
        return json;
      });
    });
  }

  /** What a failed save means: stop the page (closed, used, not open), refuse (bad answers), or try again (network, 5xx, 429). */
  function failureKind(err) {
    if (err.status === 410) return 'closed';
    if (err.status === 409) return 'used';
    if (err.status === 403) return 'notOpen';
    if (err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408) return 'rejected';
    return 'retry';
  }

  function stop(kind) {
    saver.stopped = true;
    clearTimeout(saver.timer);
    survey.mode = 'display';
    survey.showNavigationButtons = false;
    var dialog = document.getElementById('skip-dialog');
    if (dialog.open) dialog.close();
    status('');
    alertTop(t[kind], 'stopped');
  }

  function schedule(delay) {
    clearTimeout(saver.timer);
    saver.timer = setTimeout(flush, Math.max(delay, saver.lastSent + SPACING_MS - Date.now()));
  }

  function flush() {
    saver.timer = null;
    if (saver.stopped || saver.submitted || saver.inFlight || !saver.dirty) return;
    var wait = saver.lastSent + SPACING_MS - Date.now();
    if (wait > 0) return schedule(wait);
    saver.dirty = false;
    saver.inFlight = true;
    saver.lastSent = Date.now();
    status(t.saving);
    post(false).then(
      function () {
        saver.inFlight = false;
        saver.failures = 0;
        clearAlert();
        if (saver.dirty) schedule(DEBOUNCE_MS);
        else status(t.saved);
      },
      function (err) {
        saver.inFlight = false;
        saver.dirty = true;
        var kind = failureKind(err);
        if (kind === 'retry') {
          saver.failures++;
          alertTop(navigator.onLine === false ? t.offline : t.retrying, 'retrying');
          status('');
          schedule(Math.min(MAX_BACKOFF_MS, SPACING_MS * Math.pow(2, saver.failures - 1)));
        } else if (kind === 'rejected') {
          alertTop(t.rejected.replace('{reason}', err.message), 'rejected');
          status('');
        } else {
          stop(kind);
        }
      },
    );
  }

  function answered() {
    saver.dirty = true;
    if (saver.stopped) return;
    if (saver.failures === 0) status(t.saving);
    if (saver.failures > 0 && saver.timer) return; // keep the back-off: the retry sends this answer too
    if (!saver.inFlight) schedule(DEBOUNCE_MS);
  }
  survey.onValueChanged.add(answered);

  // Leaving or hiding the page sends what is not saved yet; closing it with unsaved answers asks first.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && saver.dirty && !saver.inFlight && !saver.stopped && !saver.submitted) {
      saver.dirty = false;
      saver.lastSent = Date.now();
      post(false, true).catch(function () { saver.dirty = true; });
    } else if (document.visibilityState === 'visible' && Date.now() >= Date.parse(config.closesAt)) {
      checkOpen();
    }
  });
  window.addEventListener('beforeunload', function (event) {
    if ((saver.dirty || saver.inFlight) && !saver.stopped && !saver.submitted) event.preventDefault();
  });
  window.addEventListener('online', function () {
    if (saver.dirty && !saver.inFlight) schedule(0);
  });

  // At the closing time, a save asks the server whether the wave still takes answers (it may
  // have been extended); a closed wave stops the page there, before anything more is answered.
  function checkOpen() {
    saver.dirty = true;
    schedule(0);
  }
  var untilClose = Date.parse(config.closesAt) - Date.now();
  if (untilClose > 0 && untilClose < 2147483647) setTimeout(checkOpen, untilClose + 500);

  // ---- Skipped pages -------------------------------------------------------------------
  var asked = {};
  var dialog = document.getElementById('skip-dialog');
  document.getElementById('skip-title').textContent = t.skippedTitle;
  document.getElementById('skip-text').textContent = t.skippedText;
  var stay = document.getElementById('skip-stay');
  var go = document.getElementById('skip-continue');
  stay.textContent = t.skippedStay;
  go.textContent = t.skippedContinue;
  var proceed = null;
  stay.addEventListener('click', function () {
    proceed = null;
    dialog.close();
    focusFirstQuestion();
  });
  go.addEventListener('click', function () {
    var next = proceed;
    proceed = null;
    dialog.close();
    if (next) next();
  });

  function skipped(page) {
    return page.questions.every(function (q) { return !q.isVisible || q.isEmpty(); });
  }
  /** True (and the question shown) when the page is wholly skipped and not asked about before. */
  function askAboutSkip(page, then) {
    if (asked[page.name] || !skipped(page)) return false;
    asked[page.name] = true;
    proceed = then;
    dialog.showModal();
    stay.focus();
    return true;
  }

  survey.onCurrentPageChanging.add(function (sender, options) {
    if (!options.isGoingForward || !options.oldCurrentPage) return;
    if (askAboutSkip(options.oldCurrentPage, function () { sender.nextPage(); })) options.allow = false;
  });

  // ---- Page changes --------------------------------------------------------------------
  function focusFirstQuestion() {
    var first = survey.currentPage && survey.currentPage.questions.filter(function (q) { return q.isVisible; })[0];
    if (first) first.focus();
  }
  survey.onCurrentPageChanged.add(function () {
    answered();
    setTimeout(focusFirstQuestion, 0);
  });

  // ---- Submitting ----------------------------------------------------------------------
  function submit(sender) {
    clearTimeout(saver.timer);
    status(t.sending);
    var attempt = 0;
    function send() {
      return post(true).catch(function (err) {
        if (failureKind(err) !== 'retry' || ++attempt >= 6) throw err;
        alertTop(t.retrying, 'retrying');
        return new Promise(function (resolve) { setTimeout(resolve, SPACING_MS * Math.pow(2, attempt - 1)); }).then(send);
      });
    }
    var start = saver.inFlight ? new Promise(function (resolve) { setTimeout(resolve, SPACING_MS); }) : Promise.resolve();
    start.then(send).then(
      function () {
        saver.submitted = true;
        saver.dirty = false;
        status('');
        alertBox.hidden = true;
        var switcher = document.querySelector('.survey-header .language');
        if (switcher) switcher.hidden = true;
        sender.completeLastPage();
      },
      function (err) {
        var kind = failureKind(err);
        status('');
        if (kind === 'retry' || kind === 'rejected') alertTop(t.rejected.replace('{reason}', err.message || t.retrying), 'rejected');
        else stop(kind);
      },
    );
  }
  survey.onCompleting.add(function (sender, options) {
    if (saver.submitted) return;
    options.allow = false;
    if (saver.stopped) return;
    if (askAboutSkip(sender.currentPage, function () { submit(sender); })) return;
    submit(sender);
  });

  // ---- Language ------------------------------------------------------------------------
  var select = document.getElementById('language');
  if (select) {
    select.addEventListener('change', function () {
      locale = select.value;
      var reload = function () { window.location.replace(window.location.pathname + '?lang=' + encodeURIComponent(locale)); };
      saver.dirty = false;
      clearTimeout(saver.timer);
      if (saver.stopped) return reload();
      post(false).then(reload, reload);
    });
  }

  SurveyUI.renderSurvey(survey, document.getElementById('survey'));
})();
