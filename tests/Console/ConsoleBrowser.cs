using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace IdentityDirectory.Tests.Console;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) through Debian's chromedriver (/usr/bin/chromedriver), both given by
/// path, so Selenium Manager never runs and nothing is downloaded; <c>scripts/chromium-install.sh</c> installs
/// them. Steps read as what an operator does: open a page, fill a labelled field, press a button.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private readonly Uri _base;
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "idir-chromium-" + Guid.NewGuid().ToString("N"));
    private readonly ChromeDriver _driver;

    public ConsoleBrowser(Uri baseAddress)
    {
        _base = baseAddress;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,800", $"--user-data-dir={_profile}");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    public string Url => _driver.Url;

    public string PathAndQuery => new Uri(_driver.Url).PathAndQuery;

    public string Title => _driver.Title;

    public string Heading => _driver.FindElement(By.TagName("h1")).Text;

    public void Open(string path) => _driver.Navigate().GoToUrl(new Uri(_base, path));

    public void Fill(string id, string value)
    {
        var field = _driver.FindElement(By.Id(id));
        field.Clear();
        field.SendKeys(value);
    }

    public void Choose(string id) => _driver.FindElement(By.Id(id)).Click();

    /// <summary>Presses the button with this text and waits for the page it leads to.</summary>
    public void Press(string button) => Navigate(() => _driver.FindElement(By.XPath($"//button[normalize-space()='{button}']")).Click());

    /// <summary>Follows the link with this text and waits for the page it leads to.</summary>
    public void Follow(string link) => Navigate(() => _driver.FindElement(By.XPath($"//a[normalize-space()='{link}']")).Click());

    /// <summary>Runs an action that loads another page, and waits until the old page is gone and the new one loaded.</summary>
    public void Navigate(Action action)
    {
        var page = _driver.FindElement(By.TagName("html"));
        action();
        new WebDriverWait(_driver, TimeSpan.FromSeconds(15)).Until(driver =>
        {
            try
            {
                _ = page.TagName;
                return false;
            }
            catch (WebDriverException)
            {
                // Stale: Chromium reports the old page's node as gone in more than one way.
                return ((IJavaScriptExecutor)driver).ExecuteScript("return document.readyState")?.ToString() == "complete";
            }
        });
    }

    public string Text(string id) => _driver.FindElement(By.Id(id)).Text;

    public string Value(string id) => _driver.FindElement(By.Id(id)).GetAttribute("value") ?? "";

    public bool Has(string cssSelector) => _driver.FindElements(By.CssSelector(cssSelector)).Count > 0;

    public IWebElement Find(string cssSelector) => _driver.FindElement(By.CssSelector(cssSelector));

    public string BodyText => _driver.FindElement(By.TagName("body")).Text;

    public object? Script(string script, params object[] arguments) => ((IJavaScriptExecutor)_driver).ExecuteScript(script, arguments);

    public void SignIn(string key)
    {
        Open("/console/sign-in");
        Fill("key", key);
        Press("Sign in");
    }

    public void SignOutEverywhere() => _driver.Manage().Cookies.DeleteAllCookies();

    /// <summary>The browser's cookies for the product, to send a request by hand as this browser would.</summary>
    public CookieContainer Cookies()
    {
        var jar = new CookieContainer();
        foreach (var cookie in _driver.Manage().Cookies.AllCookies)
            jar.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, _base.Host));
        return jar;
    }

    public void Resize(int width, int height) => _driver.Manage().Window.Size = new System.Drawing.Size(width, height);

    /// <summary>Whether the page is wider than the window, which would make the reader scroll sideways.</summary>
    public bool OverflowsSideways() => (bool)Script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")!;

    /// <summary>The innermost elements that reach past the window's right edge, to tell why a page scrolls sideways.</summary>
    public string WiderThanWindow() => (string)Script(
        """
        const edge = document.documentElement.clientWidth;
        return [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > edge && ![...e.children].some(c => c.getBoundingClientRect().right > edge))
            .map(e => e.outerHTML.slice(0, 160)).join('\n');
        """)!;

    /// <summary>Saves a screenshot as docs/console/NAME.png when CONSOLE_SCREENSHOTS names a folder (README, "Console").</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        System.IO.Directory.CreateDirectory(folder);
        _driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
    }

    public void Dispose()
    {
        _driver.Quit();
        try
        {
            System.IO.Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
