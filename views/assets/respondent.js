// The respondent page: renders the SurveyJS questionnaire, saves the answers on every page
// change (so the survey resumes, at the page last visited, after the tab is closed) and
// submits them when complete.
// "Not applicable / don't know" (SurveyJS's none value) is sent as null.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('seici-config').textContent);
  var status = document.getElementById('save-status');
  var survey = new Survey.Model(config.survey);
  survey.locale = config.locale;
  survey.data = config.answers;
  var locale = config.locale;

  // The page last visited is kept in this browser (keyed by the token), so that a reload or a
  // return resumes there; only when the server holds saved answers to resume.
  var pageKey = 'seici:page:' + config.token;
  function storePage(pageNo) {
    try {
      if (pageNo === null) window.localStorage.removeItem(pageKey);
      else window.localStorage.setItem(pageKey, String(pageNo));
    } catch (e) { /* storage unavailable (private mode): resume at page 1 */ }
  }
  try {
    var stored = Number(window.localStorage.getItem(pageKey));
    if (config.answers && Object.keys(config.answers).length > 0 && Number.isInteger(stored) && stored > 0 && stored < survey.visiblePageCount) {
      survey.currentPageNo = stored;
    }
  } catch (e) { /* storage unavailable: resume at page 1 */ }

  function answersOf(data) {
    var answers = {};
    Object.keys(data).forEach(function (id) {
      var v = data[id];
      answers[id] = v === 'none' || v === undefined ? null : v;
    });
    return answers;
  }

  function save(complete) {
    var body = JSON.stringify({ token: config.token, answers: answersOf(survey.data), complete: complete, locale: locale });
    var attempt = 0;
    function send() {
      return fetch(config.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body, credentials: 'omit' })
        .then(function (res) {
          return res.json().then(function (json) {
            if (!res.ok) throw Object.assign(new Error(json.error || 'The answers could not be saved.'), { final: res.status < 500 });
            return json;
          });
        })
        .catch(function (err) {
          attempt++;
          if (err.final || attempt >= 5) throw err;
          return new Promise(function (resolve) { setTimeout(resolve, 500 * attempt); }).then(send);
        });
    }
    return send();
  }

  survey.onCurrentPageChanged.add(function () {
    storePage(survey.currentPageNo);
    status.textContent = 'Saving…';
    save(false).then(
      function () { status.textContent = 'Your answers so far are saved.'; },
      function (err) { status.textContent = err.message; }
    );
  });

  survey.onCompleting.add(function (sender, options) {
    if (sender.__seiciSubmitted) return;
    options.allow = false;
    status.textContent = 'Sending your answers…';
    save(true).then(
      function () {
        sender.__seiciSubmitted = true;
        storePage(null);
        status.textContent = '';
        sender.completeLastPage();
      },
      function (err) { status.textContent = err.message; }
    );
  });

  var select = document.getElementById('language');
  if (select) {
    select.addEventListener('change', function () {
      locale = select.value;
      survey.locale = locale;
      document.documentElement.lang = locale;
    });
  }

  SurveyUI.renderSurvey(survey, document.getElementById('survey'));
})();
